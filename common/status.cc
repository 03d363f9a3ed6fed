// Field violations travel inside absl::Status as a serialized google.rpc.BadRequest.
#include "common/status.h"

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "google/rpc/error_details.pb.h"

namespace pdps {
namespace {
constexpr char kBadRequestUrl[] = "type.googleapis.com/google.rpc.BadRequest";
constexpr char kPreconditionFailureUrl[] = "type.googleapis.com/google.rpc.PreconditionFailure";
constexpr char kResourceInfoUrl[] = "type.googleapis.com/google.rpc.ResourceInfo";
}  // namespace

absl::Status Violations::ToStatus(absl::string_view message) const {
  if (list_.empty()) {
    return absl::OkStatus();
  }
  if (!message.empty()) return InvalidArgument(message, list_);
  const FieldViolation& first = list_.front();
  std::string summary =
      first.field.empty() ? first.description : absl::StrCat(first.field, ": ", first.description);
  if (list_.size() > 1) {
    absl::StrAppend(&summary, " (and ", list_.size() - 1, " more invalid field",
                    list_.size() > 2 ? "s" : "", ")");
  }
  return InvalidArgument(summary, list_);
}

bool IsBlank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

size_t Characters(absl::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

void Violations::Text(const std::string& field, const std::string& text, size_t max,
                      bool required) {
  if (required && IsBlank(text)) {
    Add(field, "is required");
  } else if (Characters(text) > max) {
    Add(field, absl::StrCat("must be at most ", max, " characters"));
  }
}

bool Violations::Given(const std::string& field, absl::string_view text, bool required) {
  if (!text.empty()) return true;
  if (required) Add(field, "is required");
  return false;
}

void Violations::Id(const std::string& field, absl::string_view id, bool required) {
  if (Given(field, id, required) && !IsUuid(id)) Add(field, "must be a UUID");
}

void Violations::Etag(const std::string& field, absl::string_view etag, absl::string_view what) {
  if (etag.empty()) Add(field, absl::StrCat("is required (read the ", what, " first)"));
}

std::optional<absl::CivilDay> Violations::Date(const std::string& field, absl::string_view text,
                                               bool required) {
  if (!Given(field, text, required)) return std::nullopt;
  return Parsed(dates::ParseDay(text), field, dates::kNotADay);
}

std::optional<absl::CivilMonth> Violations::Month(const std::string& field, absl::string_view text,
                                                  bool required) {
  if (!Given(field, text, required)) return std::nullopt;
  return Parsed(dates::ParseMonth(text), field, "must be a month YYYY-MM");
}

std::optional<Violations::ReturnQuarter> Violations::Quarter(const std::string& field,
                                                             const std::string& text,
                                                             absl::CivilDay today) {
  if (!Given(field, text, true)) return std::nullopt;
  auto q = Parsed(dates::ParseQuarter(text), field, "must be YYYY-Qn, e.g. 2026-Q3");
  if (!q) return std::nullopt;
  if (q->year < dates::kFirstQuarterYear) {
    Add(field, absl::StrCat("must be a quarter from ", dates::kFirstQuarterYear, "-Q1 (", text,
                            " is before it)"));
    return std::nullopt;
  }
  auto period = dates::ReturnPeriod(*q, today);
  if (!period) {
    Add(field, "must not be in the future");
    return std::nullopt;
  }
  return ReturnQuarter{*q, *period};
}

bool Violations::NotBeforeToday(const std::string& field, absl::CivilDay day,
                                absl::CivilDay today) {
  if (day >= today) return true;
  Add(field, absl::StrCat("must not be before today (", dates::FormatDay(today), ")"));
  return false;
}

std::optional<absl::CivilDay> Violations::ActionItem(const std::string& field,
                                                     const std::string& description,
                                                     absl::string_view due_date,
                                                     absl::CivilDay today) {
  const size_t before = list_.size();
  Text(field + ".description", description, 2000, true);
  auto due = Date(field + ".due_date", due_date);
  if (due && !NotBeforeToday(field + ".due_date", *due, today)) due.reset();
  if (list_.size() != before) return std::nullopt;
  return due;
}

bool Violations::AtMost(const std::string& field, int size, int max) {
  if (size <= max) return true;
  Add(field, absl::StrCat("must have at most ", max, " items (has ", size, ")"));
  return false;
}

void Violations::AddNotACompetencyCode(const std::string& field, int index) {
  Add(absl::StrCat(field, "[", index, "]"),
      "must be a competency code: lower_snake_case, at most 64 characters");
}

void Violations::AddRepeat(const std::string& field, int index, int first) {
  Add(absl::StrCat(field, "[", index, "]"), absl::StrCat("repeats ", field, "[", first, "]"));
}

void Violations::Merge(const absl::Status& validated) {
  if (validated.ok()) return;
  std::vector<FieldViolation> found = FieldViolationsOf(validated);
  if (found.empty()) {
    Add("", std::string(validated.message()));
    return;
  }
  for (auto& f : found) list_.push_back(std::move(f));
}

absl::Status InvalidArgument(absl::string_view message, std::vector<FieldViolation> violations) {
  absl::Status status = absl::InvalidArgumentError(message);
  google::rpc::BadRequest bad;
  for (auto& v : violations) {
    auto* fv = bad.add_field_violations();
    fv->set_field(std::move(v.field));
    fv->set_description(std::move(v.description));
  }
  status.SetPayload(kBadRequestUrl, absl::Cord(bad.SerializeAsString()));
  return status;
}

absl::Status InvalidField(absl::string_view field, absl::string_view description) {
  return InvalidArgument(absl::StrCat(field, ": ", description),
                         {{std::string(field), std::string(description)}});
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(kBadRequestUrl);
  if (!payload.has_value()) {
    return out;
  }
  google::rpc::BadRequest bad;
  if (!bad.ParseFromString(std::string(*payload))) {
    return out;
  }
  for (const auto& fv : bad.field_violations()) {
    out.push_back({fv.field(), fv.description()});
  }
  return out;
}

absl::Status FailedPrecondition(absl::string_view message,
                                std::vector<PreconditionViolation> violations) {
  absl::Status status = absl::FailedPreconditionError(message);
  google::rpc::PreconditionFailure failure;
  for (auto& v : violations) {
    auto* pv = failure.add_violations();
    pv->set_type(std::move(v.type));
    pv->set_subject(std::move(v.subject));
    pv->set_description(std::move(v.description));
  }
  status.SetPayload(kPreconditionFailureUrl, absl::Cord(failure.SerializeAsString()));
  return status;
}

absl::Status FailedPrecondition(absl::string_view message, absl::string_view type,
                                absl::string_view subject) {
  return FailedPrecondition(message,
                            {{std::string(type), std::string(subject), std::string(message)}});
}

std::vector<PreconditionViolation> PreconditionViolationsOf(const absl::Status& status) {
  std::vector<PreconditionViolation> out;
  auto payload = status.GetPayload(kPreconditionFailureUrl);
  google::rpc::PreconditionFailure failure;
  if (!payload.has_value() || !failure.ParseFromString(std::string(*payload))) return out;
  for (const auto& v : failure.violations()) {
    out.push_back({v.type(), v.subject(), v.description()});
  }
  return out;
}

bool LacksPreconditionReason(const absl::Status& status) {
  return absl::IsFailedPrecondition(status) && PreconditionViolationsOf(status).empty();
}

absl::Status AlreadyExists(absl::string_view message, absl::string_view type,
                           absl::string_view id) {
  absl::Status status = absl::AlreadyExistsError(message);
  google::rpc::ResourceInfo info;
  info.set_resource_type(std::string(type));
  info.set_resource_name(std::string(id));
  status.SetPayload(kResourceInfoUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

std::string ResourceInfoOf(const absl::Status& status) {
  auto payload = status.GetPayload(kResourceInfoUrl);
  return payload.has_value() ? std::string(*payload) : std::string();
}

std::string Subject(absl::string_view collection, absl::string_view id) {
  return absl::StrCat(collection, "/", id);
}

absl::Status NotFound(absl::string_view kind, absl::string_view id) {
  return absl::NotFoundError(absl::StrCat(kind, " ", id, " not found"));
}

absl::Status StaleEtag(absl::string_view kind) {
  return absl::AbortedError(
      absl::StrCat("the ", kind,
                   " changed since your last read (stale etag); read again and "
                   "reapply your change"));
}

}  // namespace pdps
