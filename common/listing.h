// One page of a keyset-paged list in a single round trip (AIP-158 over paging.h): the
// statement takes the list's filters, then the two sort columns of the last row already
// returned (NULL for the first page) and the row limit (page.limit(): one more than the
// page, to know whether another page follows), in that order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"
#include "common/paging.h"
#include "common/proto_util.h"
#include "common/server.h"
#include "common/status.h"

namespace pdps::listing {

// `to_item(result, row)` makes an item; `key_of(result, row, item)` gives its sort key
// as protoutil::JoinKey(first column, second column). `fingerprint` ties page tokens to
// the filters.
template <typename T, typename ToItem, typename KeyOf>
absl::StatusOr<paging::Listed<T>> ReadPage(db::Pool& pool, const server::Call& c,
                                           std::string_view sql, const std::string& fingerprint,
                                           int page_size, const std::string& page_token,
                                           std::vector<db::Param> filters, ToItem to_item,
                                           KeyOf key_of) {
  ASSIGN_OR_RETURN(paging::Page page, paging::Parse(page_size, page_token, fingerprint));
  auto [after_a, after_b] = protoutil::SplitKey(page.after);
  filters.push_back(db::OrNull(after_a));
  filters.push_back(db::OrNull(after_b));
  filters.push_back(db::P(page.limit()));
  ASSIGN_OR_RETURN(db::Result r, pool.Read(c.actor(), c.deadline, sql, filters));
  paging::Listed<T> out;
  std::string last;
  for (int i = 0; i < page.take(r.rows()); ++i) {
    out.items.push_back(to_item(r, i));
    last = key_of(r, i, out.items.back());
  }
  out.next_page_token = paging::Next(r.rows(), page, last, fingerprint);
  return out;
}

}  // namespace pdps::listing
