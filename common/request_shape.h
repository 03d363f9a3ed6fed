// The limits every request of every service obeys, whatever its method: checked by the
// gate before a handler runs, so that no service has to remember them and none can
// store what PostgreSQL or a later sum cannot hold.
#pragma once

#include <cstddef>
#include <cstdint>

#include <google/protobuf/message.h>

#include "absl/status/status.h"

namespace pdps::shape {

// No text field may be longer; each field's own, usually much lower, limit is checked
// by its service's validation.
inline constexpr size_t kMaxTextBytes = 64 * 1024;
// No list in a request may hold more items.
inline constexpr int kMaxItems = 1000;
// No amount of money may be further from zero (£1,000,000,000,000), so that sums of
// amounts never overflow.
inline constexpr int64_t kMaxPence = 100'000'000'000'000;

// OK, or INVALID_ARGUMENT with a field violation (by the field's path from the request,
// e.g. "person.contacts[2].name") for each text field holding a NUL character (which
// PostgreSQL cannot store) or longer than kMaxTextBytes, each enum field holding a
// number its enum does not define (filters included), each list longer than kMaxItems
// and each pdps.common.v1.Money beyond kMaxPence.
absl::Status Check(const google::protobuf::Message& request);

// A create's idempotency key is part of its own shape: OK, or INVALID_ARGUMENT naming
// `request_id` when the request has a top-level text field of that name that is set and
// is not a UUID.
absl::Status CheckRequestId(const google::protobuf::Message& request);

// `answer` (the shape check's or the handler's) with a failed CheckRequestId folded in,
// so that one response lists every field to fix: an INVALID_ARGUMENT answer gains the
// request_id violation unless it names it already; any other answer becomes the
// request_id violation (nothing runs with a malformed key).
absl::Status WithRequestId(const absl::Status& answer, const absl::Status& request_id);

}  // namespace pdps::shape
