// Small request checks and response helpers every service's handlers share, so that the
// same mistake gets the same error from every API.
#pragma once

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/status.h"

namespace pdps::api {

// A required UUID field (the wording of Violations::Id).
inline absl::Status RequireId(const char* field, const std::string& id) {
  Violations v;
  v.Id(field, id);
  return v.empty() ? absl::OkStatus() : InvalidField(field, v.list()[0].description);
}

// An optional UUID field (filters).
inline absl::Status OptionalId(const char* field, const std::string& id) {
  return id.empty() ? absl::OkStatus() : RequireId(field, id);
}

// A required etag (the wording of Violations::Etag): `what` names the resource to read.
inline absl::Status RequireEtag(const char* field, const std::string& etag, const char* what) {
  Violations v;
  v.Etag(field, etag, what);
  return v.ToStatus();
}

// An optional date (the wording of Violations::Date) that means `today` when not given.
inline absl::StatusOr<absl::CivilDay> DayOrToday(const char* field, const std::string& text,
                                                 absl::CivilDay today) {
  Violations v;
  auto day = v.Date(field, text, /*required=*/false);
  RETURN_IF_ERROR(v.ToStatus());
  return day ? *day : today;
}

// The organisation acted for comes from the token only: a request body naming another
// (an id field such as provider.id) is PERMISSION_DENIED. Empty, or the caller's own in
// any letter case, passes; what is not a UUID at all is INVALID_ARGUMENT.
inline absl::Status RequireOwnOrganisation(const std::string& caller_org,
                                           const std::string& body_org, const char* field) {
  if (body_org.empty() || absl::EqualsIgnoreCase(body_org, caller_org)) return absl::OkStatus();
  if (!IsUuid(body_org)) return InvalidField(field, "must be a UUID");
  return absl::PermissionDeniedError(
      absl::StrCat(field, " names another organisation; you may act only for your own"));
}

// A verb's free-text reason (or rationale): at most kMaxReasonCharacters; RequireReason
// for a required one.
inline constexpr size_t kMaxReasonCharacters = 2000;
inline absl::Status RequireReason(const std::string& reason, const char* field = "reason") {
  Violations v;
  v.Text(field, reason, kMaxReasonCharacters);
  return v.ToStatus();
}

// Copies a store page (paging::Listed) into a List response.
template <typename Listed, typename Resp, typename Add>
void CopyPage(Listed&& listed, Resp* resp, Add add) {
  for (auto& item : listed.items) *add(resp) = std::move(item);
  resp->set_next_page_token(listed.next_page_token);
}

}  // namespace pdps::api
