// Page tokens are a serialized pdps.common.v1.PageToken in URL-safe base64.
#include "common/paging.h"

#include "absl/strings/escaping.h"
#include "common/status.h"
#include "pdps/common/v1/common.pb.h"

namespace pdps::paging {

absl::StatusOr<Page> Parse(int page_size, absl::string_view page_token, absl::string_view filter,
                           int default_size, int max_size) {
  Page page;
  if (page_size < 0) {
    return InvalidField("page_size", "must not be negative");
  }
  page.size = page_size == 0 ? default_size : std::min(page_size, max_size);
  if (page_token.empty()) return page;
  std::string raw;
  pdps::common::v1::PageToken token;
  if (!absl::WebSafeBase64Unescape(page_token, &raw) || !token.ParseFromString(raw)) {
    return InvalidField("page_token", "is not a token this service issued");
  }
  if (token.filter() != filter) {
    return InvalidField("page_token", "was issued for different filters; start again without it");
  }
  page.after = token.after();
  return page;
}

std::string Next(int rows_fetched, const Page& page, absl::string_view last_key,
                 absl::string_view filter) {
  if (rows_fetched <= page.size) return "";
  pdps::common::v1::PageToken token;
  token.set_after(std::string(last_key));
  token.set_filter(std::string(filter));
  std::string out;
  absl::WebSafeBase64Escape(token.SerializeAsString(), &out);
  return out;
}

}  // namespace pdps::paging
