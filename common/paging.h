// Page tokens and page sizes, the same for every List RPC (AIP-158).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pdps::paging {

// One page of a List RPC: the items and the token for the next page ("" at the end).
template <typename T>
struct Listed {
  std::vector<T> items;
  std::string next_page_token;
};

struct Page {
  int size = 50;      // rows to return
  std::string after;  // sort key to continue after; "" for the first page

  // Rows to ask the database for: one more than the page holds, so that a page ending
  // exactly at the end of the list is known to be the last (AIP-158: no token there).
  int limit() const { return size + 1; }
  // How many of `fetched` rows (read with limit()) belong on this page.
  int take(int fetched) const { return fetched < size ? fetched : size; }
};

// Validates page_size (0 → default, > max → max, < 0 → INVALID_ARGUMENT) and decodes a
// page_token made for the same `filter` fingerprint.
absl::StatusOr<Page> Parse(int page_size, absl::string_view page_token, absl::string_view filter,
                           int default_size = 50, int max_size = 500);

// The next_page_token after a page read with page.limit() whose last item (row
// page.take(rows_fetched) - 1) has sort key `last_key`; "" when no row was left over.
std::string Next(int rows_fetched, const Page& page, absl::string_view last_key,
                 absl::string_view filter);

}  // namespace pdps::paging
