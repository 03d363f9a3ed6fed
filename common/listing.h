// One page of a keyset-paged list (AIP-158 over paging.h), the one way every List RPC
// whose order SQL can express reads its rows.
//
// The statement's parameters come in one order: the list's filters ($1..$n), then the
// sort key of the last row already returned (NULL on the first page), then the row
// limit (page.limit(): one more than the page, to know whether another page follows):
//
//   -- $1 provider, $2/$3 after (display_name, id), $4 limit.
//   ... WHERE provider_id = $1 AND ($2::text IS NULL OR (display_name, id) > ($2, $3))
//       ORDER BY display_name, id LIMIT $4
//
// `key_of(result, row, item)` gives a row's sort key, and its type says how many
// columns the order has: a std::string for one column (one cursor parameter; the token
// holds it as it is), a std::pair of strings for two (two cursor parameters; the token
// holds protoutil::JoinKey of them). After the first page the key's parts are passed as
// they are, "" included, so a statement sorting by a constant "" still continues.
//
// `to_item(result, row)` makes an item: a T, or an absl::StatusOr<T> when making it can
// fail (its error ends the read). Only the rows that belong on the page are made.
// `fingerprint` ties page tokens to the filters: a token used with others is
// INVALID_ARGUMENT, as are a negative page_size and a token this service did not issue.
// page_size 0 is 50, more than 500 is 500; the last page carries no token, also when it
// ends exactly at the end of the list (decision 0074).
//
// Where the page is read from:
//   ReadPage<T>(pool, call, sql, ...)  one statement as the caller, no transaction;
//   ReadPage<T>(tx, sql, ...)          in an open transaction, when the list checks or
//                                      decorates its rows with other statements in the
//                                      same snapshot (the body may run again: assign
//                                      the result, never append to it);
//   ReadPage<T>(read, sql, ...)        through `read(sql, params)`, when the statement
//                                      travels with others (Pool::ReadAll with the same
//                                      parameters, one round trip).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"
#include "common/paging.h"
#include "common/proto_util.h"
#include "common/server.h"
#include "common/status.h"

namespace pdps::listing {

// Runs the page's statement with its parameters.
using Reader = std::function<absl::StatusOr<db::Result>(std::string_view sql,
                                                        const std::vector<db::Param>& params)>;

namespace internal {

template <typename Key>
constexpr bool kTwoColumns = std::is_same_v<Key, std::pair<std::string, std::string>>;

}  // namespace internal

template <typename T, typename ToItem, typename KeyOf>
absl::StatusOr<paging::Listed<T>> ReadPage(const Reader& read, std::string_view sql,
                                           const std::string& fingerprint, int page_size,
                                           const std::string& page_token,
                                           std::vector<db::Param> filters, ToItem to_item,
                                           KeyOf key_of) {
  using Key = std::decay_t<std::invoke_result_t<KeyOf&, const db::Result&, int, const T&>>;
  constexpr bool kTwo = internal::kTwoColumns<Key>;
  constexpr bool kCanFail =
      !std::is_same_v<std::decay_t<std::invoke_result_t<ToItem&, const db::Result&, int>>, T>;
  static_assert(kTwo || std::is_same_v<Key, std::string>,
                "key_of returns a std::string (one sort column) or a std::pair of strings (two)");
  ASSIGN_OR_RETURN(paging::Page page, paging::Parse(page_size, page_token, fingerprint));
  if (page.after.empty()) {
    filters.push_back(db::Null());
    if constexpr (kTwo) filters.push_back(db::Null());
  } else if constexpr (kTwo) {
    auto [after_a, after_b] = protoutil::SplitKey(page.after);
    filters.push_back(db::P(after_a));
    filters.push_back(db::P(after_b));
  } else {
    filters.push_back(db::P(page.after));
  }
  filters.push_back(db::P(page.limit()));
  ASSIGN_OR_RETURN(db::Result r, read(sql, filters));
  paging::Listed<T> out;
  std::string last;
  for (int i = 0; i < page.take(r.rows()); ++i) {
    if constexpr (kCanFail) {
      ASSIGN_OR_RETURN(T item, to_item(r, i));
      out.items.push_back(std::move(item));
    } else {
      out.items.push_back(to_item(r, i));
    }
    Key key = key_of(r, i, out.items.back());
    if constexpr (kTwo) {
      last = protoutil::JoinKey(key.first, key.second);
    } else {
      last = std::move(key);
    }
  }
  out.next_page_token = paging::Next(r.rows(), page, last, fingerprint);
  return out;
}

template <typename T, typename ToItem, typename KeyOf>
absl::StatusOr<paging::Listed<T>> ReadPage(db::Pool& pool, const server::Call& c,
                                           std::string_view sql, const std::string& fingerprint,
                                           int page_size, const std::string& page_token,
                                           std::vector<db::Param> filters, ToItem to_item,
                                           KeyOf key_of) {
  return ReadPage<T>(
      [&](std::string_view s, const std::vector<db::Param>& params) {
        return pool.Read(c.actor(), c.deadline, s, params);
      },
      sql, fingerprint, page_size, page_token, std::move(filters), std::move(to_item),
      std::move(key_of));
}

template <typename T, typename ToItem, typename KeyOf>
absl::StatusOr<paging::Listed<T>> ReadPage(db::Tx& tx, std::string_view sql,
                                           const std::string& fingerprint, int page_size,
                                           const std::string& page_token,
                                           std::vector<db::Param> filters, ToItem to_item,
                                           KeyOf key_of) {
  return ReadPage<T>(
      [&](std::string_view s, const std::vector<db::Param>& params) { return tx.Exec(s, params); },
      sql, fingerprint, page_size, page_token, std::move(filters), std::move(to_item),
      std::move(key_of));
}

}  // namespace pdps::listing
