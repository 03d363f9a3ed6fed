// Small helpers of pdpsctl: argument parsing, printing protos as tables or JSON.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

namespace pdps::cli {

// "--name=value" and "--flag" options, and positional words.
struct Args {
  std::map<std::string, std::string> options;
  std::vector<std::string> words;
  bool Has(const std::string& k) const { return options.count(k) > 0; }
  std::string Get(const std::string& k, const std::string& def = "") const {
    auto it = options.find(k);
    return it == options.end() ? def : it->second;
  }
  // Comma-separated list.
  std::vector<std::string> List(const std::string& k) const;
};
Args Parse(int argc, char** argv);

// Prints a message as JSON (one object, pretty) to stdout. An Any of a type pdpsctl does
// not know prints as {"@type": URL, "value": BASE64 of the bytes}. On any other failure
// prints nothing to stdout, reports to stderr and returns false.
[[nodiscard]] bool PrintJson(const google::protobuf::Message& m);
// Prints the items of a list response's first repeated message field as a table; for a
// single message prints "field: value" lines, nested messages as "parent.field: value".
// `columns` chooses a list's columns by field path ("id", "referral.area"); empty: every
// scalar, money, date and time field of the item.
void PrintTable(const google::protobuf::Message& m, const std::vector<std::string>& columns = {});

// Reads a file ("-" for stdin) into `out`.
bool ReadFile(const std::string& path, std::string* out);

}  // namespace pdps::cli
