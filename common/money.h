// Money as people read it, one way for every service message and pdpsctl (decisions 54
// and 65): pounds with thousands separators and two decimals, "£5,000,000.00",
// "-£15,000.00". The API keeps integer pence (pdps.common.v1.Money).
#pragma once

#include <cstdint>
#include <string>

namespace pdps::money {

// `pence` as pounds: 500000000 is "£5,000,000.00", -1500000 is "-£15,000.00".
std::string FormatPounds(int64_t pence);

}  // namespace pdps::money
