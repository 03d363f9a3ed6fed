// Registry store.
#include "services/registry/store/store.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/action_plan.h"
#include "common/areas.h"
#include "common/dates.h"
#include "common/event_types.h"
#include "common/ids.h"
#include "common/listing.h"
#include "common/log.h"
#include "common/proto_util.h"
#include "common/status.h"
#include "common/viability.h"
#include "nlohmann/json.hpp"
#include "pdps/registry/v1/registry_events.pb.h"
#include "pdps/workforce/v1/workforce_events.pb.h"
#include "services/registry/domain/validate.h"
#include "services/registry/store/sql.h"

namespace pdps::registry {
namespace {

using db::P;
using db::Result;
using db::Tx;
using protoutil::FillAudit;
using protoutil::JsonStringArray;

// --------------------------------------------------------------- readers ---

v1::Organisation ToOrganisation(const Result& r, int i) {
  v1::Organisation o;
  o.set_id(r.String(i, "id"));
  o.set_display_name(r.String(i, "display_name"));
  o.set_kind(protoutil::EnumFromName<v1::Organisation::Kind>(r.String(i, "kind")));
  o.set_external_reference(r.String(i, "external_reference"));
  o.set_etag(protoutil::EtagOf(r.Int64(i, "version")));
  FillAudit(r, i, o.mutable_audit());
  return o;
}

v1::Provider ToProvider(const Result& r, int i) {
  v1::Provider p;
  p.set_id(r.String(i, "id"));
  p.set_display_name(r.String(i, "display_name"));
  p.set_office_postcode(r.String(i, "office_postcode"));
  p.set_office_district(r.String(i, "office_district"));
  for (auto& a : JsonStringArray(r.String(i, "coverage_json"))) p.add_coverage_areas(a);
  p.set_etag(protoutil::EtagOf(r.Int64(i, "version")));
  FillAudit(r, i, p.mutable_audit());
  return p;
}

v1::Partnership ToPartnership(const Result& r, int i) {
  v1::Partnership p;
  p.set_id(r.String(i, "id"));
  p.set_display_name(r.String(i, "display_name"));
  for (auto& m : JsonStringArray(r.String(i, "members_json"))) p.add_member_organisation_ids(m);
  p.set_etag(protoutil::EtagOf(r.Int64(i, "version")));
  FillAudit(r, i, p.mutable_audit());
  return p;
}

v1::Framework ToFramework(const Result& r, int i) {
  v1::Framework f;
  f.set_id(r.String(i, "id"));
  f.set_partnership_id(r.String(i, "partnership_id"));
  f.set_display_name(r.String(i, "display_name"));
  f.set_kind(protoutil::EnumFromName<v1::Framework::Kind>(r.String(i, "kind")));
  (void)protoutil::ParseJson(r.String(i, "call_off"), f.mutable_call_off());
  f.set_office_hours(r.String(i, "office_hours"));
  f.set_billing_period(
      protoutil::EnumFromName<v1::Framework::BillingPeriod>(r.String(i, "billing_period")));
  auto windows = nlohmann::json::parse(r.String(i, "windows_json"), nullptr, false);
  if (windows.is_array()) {
    for (const auto& w : windows) {
      auto* out = f.add_application_windows();
      out->mutable_open_date()->set_value(w[0].get<std::string>());
      out->mutable_close_date()->set_value(w[1].get<std::string>());
    }
  }
  f.mutable_employers_liability_minimum()->set_pence(
      r.Int64(i, "employers_liability_minimum_pence"));
  f.mutable_public_liability_minimum()->set_pence(r.Int64(i, "public_liability_minimum_pence"));
  f.set_capacity_return_due_day(static_cast<int>(r.Int64(i, "capacity_return_due_day")));
  f.set_specification_reference(r.String(i, "specification_reference"));
  for (const auto& kind : JsonStringArray(r.String(i, "required_documents_json"))) {
    f.add_required_documents(protoutil::EnumFromName<v1::ComplianceDocument::Kind>(kind));
  }
  for (auto& area : JsonStringArray(r.String(i, "service_areas_json"))) {
    f.add_service_areas(std::move(area));
  }
  f.set_etag(protoutil::EtagOf(r.Int64(i, "version")));
  FillAudit(r, i, f.mutable_audit());
  return f;
}

v1::Lot ToLot(const Result& r, int i) {
  v1::Lot l;
  l.set_id(r.String(i, "id"));
  l.set_framework_id(r.String(i, "framework_id"));
  l.set_code(r.String(i, "code"));
  l.set_display_name(r.String(i, "display_name"));
  l.set_service_type(r.String(i, "service_type"));
  l.set_min_age(static_cast<int>(r.Int64(i, "min_age")));
  l.set_max_age(static_cast<int>(r.Int64(i, "max_age")));
  for (auto& c : JsonStringArray(r.String(i, "competencies_json"))) l.add_competencies(c);
  auto prices = nlohmann::json::parse(r.String(i, "prices_json"), nullptr, false);
  if (prices.is_array()) {
    for (const auto& p : prices) {
      auto* out = l.add_prices();
      out->set_kind(protoutil::EnumFromName<v1::LotPrice::Kind>(p[0].get<std::string>()));
      out->mutable_hourly_rate()->set_pence(p[1].get<int64_t>());
      out->mutable_effective_from()->set_value(p[2].get<std::string>());
    }
  }
  l.set_etag(protoutil::EtagOf(r.Int64(i, "version")));
  FillAudit(r, i, l.mutable_audit());
  return l;
}

v1::Admission ToAdmission(const Result& r, int i) {
  v1::Admission a;
  a.set_id(r.String(i, "id"));
  a.set_provider_id(r.String(i, "provider_id"));
  a.set_framework_id(r.String(i, "framework_id"));
  a.set_lot_id(r.String(i, "lot_id"));
  a.set_state(protoutil::EnumFromName<v1::Admission::State>(r.String(i, "state")));
  a.set_etag(protoutil::EtagOf(r.Int64(i, "version")));
  FillAudit(r, i, a.mutable_audit());
  return a;
}

v1::ComplianceDocument ToDocument(const Result& r, int i, absl::CivilDay today) {
  v1::ComplianceDocument d;
  d.set_id(r.String(i, "id"));
  d.set_provider_id(r.String(i, "provider_id"));
  d.set_kind(protoutil::EnumFromName<v1::ComplianceDocument::Kind>(r.String(i, "kind")));
  d.set_title(r.String(i, "title"));
  d.set_evidence_reference(r.String(i, "evidence_reference"));
  d.mutable_issue_date()->set_value(r.String(i, "issue_date"));
  std::string expiry = r.String(i, "expiry_date");
  if (!expiry.empty()) d.mutable_expiry_date()->set_value(expiry);
  d.set_mandatory(r.Bool(i, "mandatory"));
  d.set_cqc_rating(
      protoutil::EnumFromName<v1::ComplianceDocument::CqcRating>(r.String(i, "cqc_rating")));
  if (r.Int64(i, "cover_pence") > 0) d.mutable_cover()->set_pence(r.Int64(i, "cover_pence"));
  if (!r.IsNull(i, "current_assets_pence")) {
    domain::Accounts a;
    a.current_assets = r.Int64(i, "current_assets_pence");
    a.current_liabilities = r.Int64(i, "current_liabilities_pence");
    a.operating_profit = r.Int64(i, "operating_profit_pence");
    a.capital_employed = r.Int64(i, "capital_employed_pence");
    a.net_assets = r.Int64(i, "net_assets_pence");
    auto* out = d.mutable_accounts();
    out->mutable_current_assets()->set_pence(a.current_assets);
    out->mutable_current_liabilities()->set_pence(a.current_liabilities);
    out->mutable_net_assets()->set_pence(a.net_assets);
    out->mutable_operating_profit()->set_pence(a.operating_profit);
    out->mutable_capital_employed()->set_pence(a.capital_employed);
    // Not rounded: a value a penny above a threshold must not read as the threshold
    // (decision 65); displays round with viability::FormatLiquidity / FormatRocePercent.
    const viability::Assessment v = viability::Assess(a);
    out->set_liquidity_ratio(v.liquidity);
    out->set_return_on_capital_employed_percent(v.roce_percent);
    for (viability::Breach b : v.breaches) out->add_viability_breaches(viability::Describe(b));
  }
  switch (domain::StatusOn(dates::ParseDay(expiry), today)) {
    case domain::DocumentStatus::kCurrent:
      d.set_status(v1::ComplianceDocument::CURRENT);
      break;
    case domain::DocumentStatus::kExpiringSoon:
      d.set_status(v1::ComplianceDocument::EXPIRING_SOON);
      break;
    case domain::DocumentStatus::kExpired:
      d.set_status(v1::ComplianceDocument::EXPIRED);
      break;
  }
  d.set_etag(protoutil::EtagOf(r.Int64(i, "version")));
  FillAudit(r, i, d.mutable_audit());
  return d;
}

v1::CapacityReturn ToCapacityReturn(const Result& r, int i) {
  v1::CapacityReturn c;
  c.set_id(r.String(i, "id"));
  c.set_provider_id(r.String(i, "provider_id"));
  c.set_framework_id(r.String(i, "framework_id"));
  c.set_month(r.String(i, "month"));
  c.set_care_workers_employed(static_cast<int>(r.Int64(i, "care_workers_employed")));
  c.set_current_packages(static_cast<int>(r.Int64(i, "current_packages")));
  c.set_current_total_weekly_hours(static_cast<int>(r.Int64(i, "current_total_weekly_hours")));
  c.set_average_weekly_hours_per_worker(domain::AverageWeeklyHours(
      c.current_total_weekly_hours(), c.care_workers_employed()));
  c.set_estimated_weekly_hours_available(
      static_cast<int>(r.Int64(i, "estimated_weekly_hours_available")));
  protoutil::SetTimestamp(r.Time(i, "submit_time"), c.mutable_submit_time());
  c.set_late(r.Bool(i, "late"));
  return c;
}

// Adds history and the latest action plan to admissions read in one page.
absl::Status Decorate(Tx& tx, std::vector<v1::Admission*> admissions) {
  if (admissions.empty()) return absl::OkStatus();
  std::vector<std::string> ids;
  for (auto* a : admissions) ids.push_back(a->id());
  const db::Param arr = db::IdArray(ids);
  auto find = [&](const std::string& id) -> v1::Admission* {
    for (auto* a : admissions) {
      if (a->id() == id) return a;
    }
    return nullptr;
  };
  ASSIGN_OR_RETURN(Result t, tx.Exec(sql::kSelectTransitions, {arr}));
  for (int i = 0; i < t.rows(); ++i) {
    v1::Admission* a = find(t.String(i, "admission_id"));
    if (a == nullptr) continue;
    auto* h = a->add_history();
    h->set_from_state(t.String(i, "from_state"));
    h->set_to_state(t.String(i, "to_state"));
    h->set_reason(t.String(i, "reason"));
    h->set_actor_user(t.String(i, "actor_user"));
    h->set_actor_organisation(t.String(i, "actor_organisation"));
    protoutil::SetTimestamp(t.Time(i, "at"), h->mutable_time());
  }
  ASSIGN_OR_RETURN(Result items, tx.Exec(sql::kSelectActionItems, {arr}));
  for (int i = 0; i < items.rows(); ++i) {
    v1::Admission* a = find(items.String(i, "admission_id"));
    if (a == nullptr) continue;
    auto* item = a->add_action_plan();
    item->set_id(items.String(i, "id"));
    item->set_description(items.String(i, "description"));
    item->mutable_due_date()->set_value(items.String(i, "due_date"));
    if (!items.String(i, "completed_date").empty()) {
      item->mutable_completed_date()->set_value(items.String(i, "completed_date"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Admission> ReadAdmission(Tx& tx, const std::string& id, bool for_update) {
  ASSIGN_OR_RETURN(Result r, tx.Exec(for_update ? sql::kSelectAdmissionForUpdate
                                                : sql::kSelectAdmission,
                                     {P(id)}));
  if (r.rows() == 0) return NotFound("admission", id);
  v1::Admission a = ToAdmission(r, 0);
  RETURN_IF_ERROR(Decorate(tx, {&a}));
  return a;
}

absl::StatusOr<v1::Framework> ReadFramework(Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectFramework, {P(id)}));
  if (r.rows() == 0) return NotFound("framework", id);
  return ToFramework(r, 0);
}

absl::StatusOr<v1::Lot> ReadLot(Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectLot, {P(id)}));
  if (r.rows() == 0) return NotFound("lot", id);
  return ToLot(r, 0);
}

absl::StatusOr<bool> ActsFor(Tx& tx, const std::string& partnership_id) {
  ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kActsForPartnership, {P(partnership_id)}));
  return r.Bool(0, "ok");
}

absl::Status WriteWindows(Tx& tx, const v1::Framework& f, const std::string& id,
                          const std::string& partnership_id) {
  RETURN_IF_ERROR(tx.Exec(sql::kDeleteWindows, {P(id)}).status());
  for (const auto& w : f.application_windows()) {
    RETURN_IF_ERROR(tx.Exec(sql::kInsertWindow, {P(id), P(partnership_id),
                                                 P(w.open_date().value()),
                                                 P(w.close_date().value())})
                        .status());
  }
  return absl::OkStatus();
}

absl::Status WritePrices(Tx& tx, const v1::Lot& l, const std::string& id,
                         const std::string& partnership_id) {
  RETURN_IF_ERROR(tx.Exec(sql::kDeletePrices, {P(id)}).status());
  for (const auto& p : l.prices()) {
    RETURN_IF_ERROR(tx.Exec(sql::kInsertPrice,
                            {P(id), P(partnership_id), P(v1::LotPrice::Kind_Name(p.kind())),
                             P(p.hourly_rate().pence()), P(p.effective_from().value())})
                        .status());
  }
  return absl::OkStatus();
}

// The framework's required document kinds by name, as the required_documents column
// holds them.
std::string RequiredDocumentsJson(const v1::Framework& f) {
  std::vector<std::string> kinds;
  for (int k : f.required_documents()) {
    kinds.push_back(
        v1::ComplianceDocument::Kind_Name(static_cast<v1::ComplianceDocument::Kind>(k)));
  }
  return protoutil::ToJsonArray(kinds);
}

// The framework's service areas as stored: normalised (common/areas.h).
std::string ServiceAreasJson(const v1::Framework& f) {
  std::vector<std::string> out;
  for (const auto& a : f.service_areas()) out.push_back(areas::Normalise(a));
  return protoutil::ToJsonArray(out);
}

std::vector<std::string> Competencies(const v1::Lot& l) {
  return {l.competencies().begin(), l.competencies().end()};
}

const char* EventFor(domain::AdmissionVerb v) {
  switch (v) {
    case domain::AdmissionVerb::kAdmit:
      return event_types::registry::kAdmissionActivated;
    case domain::AdmissionVerb::kReject:
      return event_types::registry::kAdmissionRejected;
    case domain::AdmissionVerb::kSuspend:
      return event_types::registry::kAdmissionSuspended;
    case domain::AdmissionVerb::kReinstate:
      return event_types::registry::kAdmissionReinstated;
    case domain::AdmissionVerb::kTerminate:
      return event_types::registry::kAdmissionTerminated;
  }
  return "";
}

absl::Status AppendAdmissionEvent(const events::Outbox& outbox, Tx& tx, const char* type,
                                  const v1::Admission& a, const common::v1::Transition& t) {
  v1::AdmissionChanged payload;
  *payload.mutable_admission() = a;
  payload.mutable_admission()->clear_history();
  *payload.mutable_transition() = t;
  return outbox.Append(tx, {type, "admission", a.id(), a.provider_id(), &payload});
}

// Items of the action plan of the suspension recorded as transition `suspension_id`,
// added at `now`.
absl::Status InsertActionItems(Tx& tx, const std::string& admission_id,
                               const std::string& provider_id, const std::string& partnership_id,
                               int64_t suspension_id, const std::vector<ActionItemInput>& plan,
                               absl::Time now) {
  for (const auto& item : plan) {
    RETURN_IF_ERROR(
        tx.Exec(sql::kInsertActionItem,
                {P(NewUuid()), P(admission_id), P(provider_id), P(partnership_id), P(suspension_id),
                 P(item.description), P(dates::FormatDay(item.due)), P(now)})
            .status());
  }
  return absl::OkStatus();
}

// An admission whose action plan a commissioner is changing, locked for the change.
struct OpenPlan {
  v1::Admission admission;
  std::string partnership_id;
  int64_t suspension_id = 0;  // the transition that made it SUSPENDED
};

// Locks admission `id` for a change to its plan: NOT_FOUND, PERMISSION_DENIED outside
// the framework's partnership, ABORTED for a stale etag, FAILED_PRECONDITION unless it
// is SUSPENDED (domain::RequirePlanOpen).
absl::StatusOr<OpenPlan> LockOpenPlan(Tx& tx, const std::string& id, const std::string& etag,
                                      domain::PlanChange change) {
  ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectAdmissionForUpdate, {P(id)}));
  if (r.rows() == 0) return NotFound("admission", id);
  OpenPlan plan{ToAdmission(r, 0), r.String(0, "partnership_id")};
  ASSIGN_OR_RETURN(bool member, ActsFor(tx, plan.partnership_id));
  if (!member) return absl::PermissionDeniedError("only the framework's commissioners may");
  if (etag != plan.admission.etag()) return StaleEtag("admission");
  auto state = domain::ParseState(r.String(0, "state"));
  if (!state) return absl::InternalError("unknown admission state");
  RETURN_IF_ERROR(domain::RequirePlanOpen(*state, change, id));
  ASSIGN_OR_RETURN(Result s, tx.Exec(sql::kSelectCurrentSuspension, {P(id)}));
  plan.suspension_id = s.Int64(0, "id");
  return plan;
}

// The admission after a change to its plan: a new etag and audit stamp, read back.
absl::StatusOr<v1::Admission> TouchAdmission(Tx& tx, const server::Call& c, const std::string& id) {
  RETURN_IF_ERROR(
      tx.Exec(sql::kTouchAdmission, {P(id), P(c.principal.user_id), P(c.now)}).status());
  return ReadAdmission(tx, id, false);
}

}  // namespace

absl::StatusOr<Result> Store::Read(const Call& c, std::string_view sql,
                                   const std::vector<db::Param>& params) {
  return pool_->Read(c.actor(), c.deadline, sql, params);
}

namespace {

// Every event the registry publishes (protos/pdps/registry/v1/registry_events.proto).
std::vector<std::string> PublishedEvents() {
  return {event_types::registry::kAdmissionApplied,
          event_types::registry::kAdmissionActivated,
          event_types::registry::kAdmissionRejected,
          event_types::registry::kAdmissionSuspended,
          event_types::registry::kAdmissionReinstated,
          event_types::registry::kAdmissionTerminated,
          event_types::registry::kComplianceDocumentExpired,
          event_types::registry::kCapacityReturnSubmitted};
}

}  // namespace

Store::Store(db::Pool* pool)
    : pool_(pool), outbox_("registry", PublishedEvents()), ledger_("registry") {}

// ------------------------------------------------------------ organisations ---

absl::StatusOr<v1::Organisation> Store::CreateOrganisation(const Call& c, const v1::Organisation& o,
                                                           const std::string& request_id) {
  v1::Organisation out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    auto insert = [&](const std::string& id) -> absl::Status {
      return tx
          .Exec(sql::kInsertOrganisation,
                {P(id), P(o.display_name()), P(v1::Organisation::Kind_Name(o.kind())),
                 P(o.external_reference()), P(c.principal.user_id), P(c.principal.organisation_id),
                 P(c.now)})
          .status();
    };
    ASSIGN_OR_RETURN(std::string id,
                     ledger_.CreateOnce(tx, c.principal.organisation_id, request_id,
                                        "CreateOrganisation", idempotency::Fingerprint(o), insert));
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectOrganisation, {P(id)}));
    if (r.rows() == 0) return NotFound("organisation", id);
    out = ToOrganisation(r, 0);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Organisation> Store::GetOrganisation(const Call& c, const std::string& id) {
  ASSIGN_OR_RETURN(Result r, Read(c, sql::kSelectOrganisation, {P(id)}));
  if (r.rows() == 0) return NotFound("organisation", id);
  return ToOrganisation(r, 0);
}

absl::StatusOr<Listed<v1::Organisation>> Store::ListOrganisations(const Call& c,
                                                                  const std::string& kind,
                                                                  int page_size,
                                                                  const std::string& token) {
  return listing::ReadPage<v1::Organisation>(
      *pool_, c, sql::kListOrganisations, absl::StrCat("kind=", kind), page_size, token,
      {db::OrNull(kind)}, ToOrganisation, [](const Result&, int, const v1::Organisation& o) {
        return std::pair(o.display_name(), o.id());
      });
}

// ------------------------------------------------------------- partnerships ---

absl::StatusOr<v1::Partnership> Store::CreatePartnership(const Call& c, const v1::Partnership& p,
                                                         const std::string& request_id) {
  v1::Partnership out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    auto insert = [&](const std::string& id) -> absl::Status {
      std::vector<std::string> members(p.member_organisation_ids().begin(),
                                       p.member_organisation_ids().end());
      ASSIGN_OR_RETURN(Result kinds, tx.Exec(sql::kSelectOrganisationKinds,
                                             {P(protoutil::ToJsonArray(members))}));
      Violations v;
      for (int m = 0; m < p.member_organisation_ids_size(); ++m) {
        std::string kind;
        for (int i = 0; i < kinds.rows(); ++i) {
          if (kinds.String(i, "id") == p.member_organisation_ids(m)) kind = kinds.String(i, "kind");
        }
        std::string field = absl::StrCat("partnership.member_organisation_ids[", m, "]");
        if (kind.empty()) {
          v.Add(field, "no such organisation");
        } else if (kind != "COUNCIL" && kind != "NHS_COMMISSIONER") {
          v.Add(field, "must be a COUNCIL or NHS_COMMISSIONER organisation");
        }
      }
      RETURN_IF_ERROR(v.ToStatus());
      RETURN_IF_ERROR(
          tx.Exec(sql::kInsertPartnership, {P(id), P(p.display_name()), P(c.principal.user_id),
                                            P(c.principal.organisation_id), P(c.now)})
              .status());
      for (const auto& m : members) {
        RETURN_IF_ERROR(tx.Exec(sql::kInsertPartnershipMember, {P(id), P(m)}).status());
      }
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(std::string id,
                     ledger_.CreateOnce(tx, c.principal.organisation_id, request_id,
                                        "CreatePartnership", idempotency::Fingerprint(p), insert));
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectPartnership, {P(id)}));
    out = ToPartnership(r, 0);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Partnership> Store::GetPartnership(const Call& c, const std::string& id) {
  ASSIGN_OR_RETURN(Result r, Read(c, sql::kSelectPartnership, {P(id)}));
  if (r.rows() == 0) return NotFound("partnership", id);
  return ToPartnership(r, 0);
}

absl::StatusOr<Listed<v1::Partnership>> Store::ListPartnerships(const Call& c, bool mine,
                                                                int page_size,
                                                                const std::string& token) {
  return listing::ReadPage<v1::Partnership>(
      *pool_, c, sql::kListPartnerships, absl::StrCat("mine=", mine), page_size, token, {P(mine)},
      ToPartnership, [](const Result&, int, const v1::Partnership& p) { return p.id(); });
}

// --------------------------------------------------------------- frameworks ---

absl::StatusOr<v1::Framework> Store::CreateFramework(const Call& c, const v1::Framework& f,
                                                     const std::string& request_id) {
  v1::Framework out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    auto insert = [&](const std::string& id) -> absl::Status {
      ASSIGN_OR_RETURN(bool member, ActsFor(tx, f.partnership_id()));
      if (!member) return NotFound("partnership", f.partnership_id());
      RETURN_IF_ERROR(
          tx.Exec(sql::kInsertFramework,
                  {P(id), P(f.partnership_id()), P(f.display_name()),
                   P(v1::Framework::Kind_Name(f.kind())), P(protoutil::ToJson(f.call_off())),
                   P(f.office_hours()), P(v1::Framework::BillingPeriod_Name(f.billing_period())),
                   P(f.employers_liability_minimum().pence()),
                   P(f.public_liability_minimum().pence()), P(f.capacity_return_due_day()),
                   P(f.specification_reference()), P(c.principal.user_id),
                   P(c.principal.organisation_id), P(RequiredDocumentsJson(f)), P(c.now),
                   P(ServiceAreasJson(f))})
              .status());
      RETURN_IF_ERROR(WriteWindows(tx, f, id, f.partnership_id()));
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(std::string id,
                     ledger_.CreateOnce(tx, c.principal.organisation_id, request_id,
                                        "CreateFramework", idempotency::Fingerprint(f), insert));
    ASSIGN_OR_RETURN(out, ReadFramework(tx, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Framework> Store::GetFramework(const Call& c, const std::string& id) {
  ASSIGN_OR_RETURN(Result r, Read(c, sql::kSelectFramework, {P(id)}));
  if (r.rows() == 0) return NotFound("framework", id);
  return ToFramework(r, 0);
}

absl::StatusOr<Listed<v1::Framework>> Store::ListFrameworks(const Call& c,
                                                            const std::string& partnership_id,
                                                            const std::string& open_on,
                                                            int page_size,
                                                            const std::string& token) {
  return listing::ReadPage<v1::Framework>(
      *pool_, c, sql::kListFrameworks, absl::StrCat("p=", partnership_id, ";open=", open_on),
      page_size, token, {db::OrNull(partnership_id), db::OrNull(open_on)}, ToFramework,
      [](const Result&, int, const v1::Framework& f) {
        return std::pair(f.display_name(), f.id());
      });
}

absl::StatusOr<v1::Framework> Store::UpdateFramework(const Call& c, const v1::Framework& f) {
  v1::Framework out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Framework current, ReadFramework(tx, f.id()));
    ASSIGN_OR_RETURN(bool member, ActsFor(tx, current.partnership_id()));
    if (!member) return absl::PermissionDeniedError("only the owning partnership may change it");
    RETURN_IF_ERROR(domain::ValidateFrameworkChange(f, current));
    if (current.etag() != f.etag()) return StaleEtag("framework");
    ASSIGN_OR_RETURN(
        Result r,
        tx.Exec(
            sql::kUpdateFramework,
            {P(f.id()), P(f.etag()), P(f.display_name()), P(v1::Framework::Kind_Name(f.kind())),
             P(protoutil::ToJson(f.call_off())), P(f.office_hours()),
             P(v1::Framework::BillingPeriod_Name(f.billing_period())),
             P(f.employers_liability_minimum().pence()), P(f.public_liability_minimum().pence()),
             P(f.capacity_return_due_day()), P(f.specification_reference()), P(c.principal.user_id),
             P(RequiredDocumentsJson(f)), P(c.now), P(ServiceAreasJson(f))}));
    if (r.affected() != 1) return StaleEtag("framework");
    RETURN_IF_ERROR(WriteWindows(tx, f, f.id(), current.partnership_id()));
    ASSIGN_OR_RETURN(out, ReadFramework(tx, f.id()));
    return absl::OkStatus();
  }));
  return out;
}

// --------------------------------------------------------------------- lots ---

absl::StatusOr<v1::Lot> Store::CreateLot(const Call& c, const v1::Lot& l,
                                         const std::string& request_id) {
  v1::Lot out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    auto insert = [&](const std::string& id) -> absl::Status {
      ASSIGN_OR_RETURN(v1::Framework f, ReadFramework(tx, l.framework_id()));
      ASSIGN_OR_RETURN(bool member, ActsFor(tx, f.partnership_id()));
      if (!member) {
        return absl::PermissionDeniedError("only the owning partnership may add lots");
      }
      RETURN_IF_ERROR(
          db::InsertUnique(
              tx,
              {sql::kInsertLot,
               {P(id), P(l.framework_id()), P(f.partnership_id()), P(l.code()), P(l.display_name()),
                P(l.service_type()), P(l.min_age()), P(l.max_age()),
                P(protoutil::ToJsonArray(Competencies(l))), P(c.principal.user_id),
                P(c.principal.organisation_id), P(c.now)}},
              {sql::kSelectLotByCode, {P(l.framework_id()), P(l.code())}},
              absl::StrCat("lot code \"", l.code(), "\" is already used on this framework"),
              v1::Lot::descriptor()->full_name())
              .status());
      RETURN_IF_ERROR(WritePrices(tx, l, id, f.partnership_id()));
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(std::string id,
                     ledger_.CreateOnce(tx, c.principal.organisation_id, request_id, "CreateLot",
                                        idempotency::Fingerprint(l), insert));
    ASSIGN_OR_RETURN(out, ReadLot(tx, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Lot> Store::GetLot(const Call& c, const std::string& id) {
  ASSIGN_OR_RETURN(Result r, Read(c, sql::kSelectLot, {P(id)}));
  if (r.rows() == 0) return NotFound("lot", id);
  return ToLot(r, 0);
}

absl::StatusOr<Listed<v1::Lot>> Store::ListLots(const Call& c, const std::string& framework_id,
                                                int page_size, const std::string& token) {
  return listing::ReadPage<v1::Lot>(*pool_, c, sql::kListLots, absl::StrCat("f=", framework_id),
                                    page_size, token, {P(framework_id)}, ToLot,
                                    [](const Result&, int, const v1::Lot& l) { return l.code(); });
}

absl::StatusOr<v1::Lot> Store::UpdateLot(const Call& c, const v1::Lot& l) {
  v1::Lot out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Lot current, ReadLot(tx, l.id()));
    ASSIGN_OR_RETURN(v1::Framework f, ReadFramework(tx, current.framework_id()));
    ASSIGN_OR_RETURN(bool member, ActsFor(tx, f.partnership_id()));
    if (!member) return absl::PermissionDeniedError("only the owning partnership may change it");
    RETURN_IF_ERROR(domain::ValidateLotChange(l, current));
    if (current.etag() != l.etag()) return StaleEtag("lot");
    ASSIGN_OR_RETURN(Result r,
                     tx.Exec(sql::kUpdateLot, {P(l.id()), P(l.etag()), P(l.display_name()),
                                               P(l.service_type()), P(l.min_age()), P(l.max_age()),
                                               P(protoutil::ToJsonArray(Competencies(l))),
                                               P(c.principal.user_id), P(c.now)}));
    if (r.affected() != 1) return StaleEtag("lot");
    RETURN_IF_ERROR(WritePrices(tx, l, l.id(), f.partnership_id()));
    ASSIGN_OR_RETURN(out, ReadLot(tx, l.id()));
    return absl::OkStatus();
  }));
  return out;
}

// --------------------------------------------------------------- admissions ---

absl::StatusOr<std::vector<v1::Admission>> Store::Apply(const Call& c,
                                                        const std::string& framework_id,
                                                        const std::vector<std::string>& lot_ids,
                                                        const std::string& request_id) {
  std::vector<v1::Admission> out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    out = {};  // InTx may run the body again (db.h)
    // One ledger entry for the whole application: the first admission's id, and the
    // others follow from the same request.
    std::vector<std::string> ids;
    for (size_t i = 0; i < lot_ids.size(); ++i) ids.push_back(NewUuid());
    ASSIGN_OR_RETURN(
        auto prior,
        ledger_.Claim(tx, c.principal.organisation_id, request_id, "ApplyForAdmission",
                      idempotency::Fingerprint({framework_id, absl::StrJoin(lot_ids, ",")}),
                      absl::StrJoin(ids, ",")));
    if (prior) {
      for (absl::string_view id : absl::StrSplit(*prior, ',')) {
        ASSIGN_OR_RETURN(v1::Admission a, ReadAdmission(tx, std::string(id), false));
        out.push_back(std::move(a));
      }
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(v1::Framework f, ReadFramework(tx, framework_id));
    std::vector<domain::Window> windows;
    for (const auto& w : f.application_windows()) {
      windows.push_back({*dates::ParseDay(w.open_date().value()),
                         *dates::ParseDay(w.close_date().value())});
    }
    const absl::CivilDay today = dates::TodayInLondon(c.now);
    if (!domain::IsOpenOn(windows, today)) {
      return FailedPrecondition(
          "the framework is not open for applications today; see its application windows",
          "APPLICATION_WINDOW_CLOSED", Subject("framework", framework_id));
    }
    ASSIGN_OR_RETURN(Result cover, tx.Exec(sql::kCoverHeld, {P(c.principal.organisation_id),
                                                             P(dates::FormatDay(today))}));
    std::vector<std::string> short_of = domain::CoverShortfalls(
        {cover.Int64(0, "employers"), cover.Int64(0, "public")},
        {f.employers_liability_minimum().pence(), f.public_liability_minimum().pence()});
    if (!short_of.empty()) {
      return FailedPrecondition(
          absl::StrCat(absl::StrJoin(short_of, "; and "),
                       " (file the policy with CreateComplianceDocument, then apply)"),
          "INSURANCE_COVER_SHORT", Subject("framework", framework_id));
    }
    ASSIGN_OR_RETURN(Result lots, tx.Exec(sql::kSelectLotsOfFramework, {P(framework_id)}));
    Violations v;
    for (size_t i = 0; i < lot_ids.size(); ++i) {
      bool found = false;
      for (int r = 0; r < lots.rows(); ++r) found |= lots.String(r, "id") == lot_ids[i];
      if (!found) v.Add(absl::StrCat("lot_ids[", i, "]"), "is not a lot of this framework");
    }
    RETURN_IF_ERROR(v.ToStatus());
    for (size_t i = 0; i < lot_ids.size(); ++i) {
      auto st = tx.Exec(sql::kInsertAdmission,
                        {P(ids[i]), P(c.principal.organisation_id), P(framework_id), P(lot_ids[i]),
                         P(f.partnership_id()), P(c.principal.user_id), P(c.now)})
                    .status();
      if (st.code() == absl::StatusCode::kAlreadyExists) {
        return FailedPrecondition(
            absl::StrCat("you already hold a live admission or application on lot ", lot_ids[i]),
            "ADMISSION_HELD", Subject("lot", lot_ids[i]));
      }
      RETURN_IF_ERROR(st);
      common::v1::Transition t;
      t.set_to_state("APPLIED");
      t.set_reason("application");
      t.set_actor_user(c.principal.user_id);
      t.set_actor_organisation(c.principal.organisation_id);
      protoutil::SetTimestamp(c.now, t.mutable_time());
      RETURN_IF_ERROR(tx.Exec(sql::kInsertTransition,
                              {P(ids[i]), P(c.principal.organisation_id), P(f.partnership_id()),
                               P(""), P("APPLIED"), P(t.reason()), P(c.principal.user_id),
                               P(c.principal.organisation_id), P(c.now)})
                          .status());
      ASSIGN_OR_RETURN(v1::Admission a, ReadAdmission(tx, ids[i], false));
      RETURN_IF_ERROR(
          AppendAdmissionEvent(outbox_, tx, event_types::registry::kAdmissionApplied, a, t));
      out.push_back(std::move(a));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Admission> Store::GetAdmission(const Call& c, const std::string& id) {
  v1::Admission out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(out, ReadAdmission(tx, id, false));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Listed<v1::Admission>> Store::ListAdmissions(const Call& c,
                                                            const AdmissionFilter& f,
                                                            int page_size,
                                                            const std::string& token) {
  std::string fp = absl::StrCat(f.framework_id, "|", f.lot_id, "|", f.provider_id, "|", f.state);
  Listed<v1::Admission> out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(
        out, listing::ReadPage<v1::Admission>(
                 tx, sql::kListAdmissions, fp, page_size, token,
                 {db::OrNull(f.framework_id), db::OrNull(f.lot_id), db::OrNull(f.provider_id),
                  db::OrNull(f.state)},
                 ToAdmission, [](const Result&, int, const v1::Admission& a) { return a.id(); }));
    std::vector<v1::Admission*> ptrs;
    for (auto& a : out.items) ptrs.push_back(&a);
    return Decorate(tx, ptrs);
  }));
  return out;
}

absl::StatusOr<v1::Admission> Store::TransitionAdmission(const Call& c, const std::string& id,
                                                         const std::string& etag,
                                                         domain::AdmissionVerb verb,
                                                         const std::string& reason,
                                                         const std::vector<ActionItemInput>& plan) {
  v1::Admission out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(out, ApplyTransition(tx, c, id, etag, verb, reason, plan));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Admission> Store::ApplyTransition(Tx& tx, const Call& c, const std::string& id,
                                                     const std::string& etag,
                                                     domain::AdmissionVerb verb,
                                                     const std::string& reason,
                                                     const std::vector<ActionItemInput>& plan) {
  v1::Admission out;
  {
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectAdmissionForUpdate, {P(id)}));
    if (r.rows() == 0) return NotFound("admission", id);
    v1::Admission current = ToAdmission(r, 0);
    std::string partnership_id = r.String(0, "partnership_id");
    if (!c.principal.IsService()) {
      ASSIGN_OR_RETURN(bool member, ActsFor(tx, partnership_id));
      if (!member) {
        return absl::PermissionDeniedError(
            "only commissioners of the framework's partnership may decide admissions");
      }
    }
    if (!(etag.empty() && c.principal.IsService()) && etag != current.etag()) {
      return StaleEtag("admission");
    }
    auto from = domain::ParseState(r.String(0, "state"));
    if (!from) return absl::InternalError("unknown admission state");
    ASSIGN_OR_RETURN(domain::AdmissionState to, domain::Transition(*from, verb, id));
    RETURN_IF_ERROR(tx.Exec(sql::kUpdateAdmissionState,
                            {P(id), P(domain::StateName(to)), P(c.principal.user_id), P(c.now)})
                        .status());
    ASSIGN_OR_RETURN(Result t, tx.Exec(sql::kInsertTransition,
                                       {P(id), P(current.provider_id()), P(partnership_id),
                                        P(domain::StateName(*from)), P(domain::StateName(to)),
                                        P(reason), P(c.principal.user_id),
                                        P(c.principal.organisation_id), P(c.now)}));
    RETURN_IF_ERROR(InsertActionItems(tx, id, current.provider_id(), partnership_id,
                                      t.Int64(0, "id"), plan, c.now));
    ASSIGN_OR_RETURN(out, ReadAdmission(tx, id, false));
    common::v1::Transition tr;
    tr.set_from_state(std::string(domain::StateName(*from)));
    tr.set_to_state(std::string(domain::StateName(to)));
    tr.set_reason(reason);
    tr.set_actor_user(c.principal.user_id);
    tr.set_actor_organisation(c.principal.organisation_id);
    protoutil::SetTimestamp(c.now, tr.mutable_time());
    RETURN_IF_ERROR(AppendAdmissionEvent(outbox_, tx, EventFor(verb), out, tr));
  }
  return out;
}

absl::Status Store::ApplySuspensionRule(Tx& tx, const pdps::common::v1::Event& e, absl::Time now) {
  pdps::workforce::v1::SuspensionRuleTripped tripped;
  if (!e.payload().UnpackTo(&tripped) || !IsUuid(tripped.provider_id()) ||
      !IsUuid(tripped.framework_id())) {
    log::Warning("unreadable suspension rule event skipped", {{"position", e.position()}});
    return absl::OkStatus();
  }
  const Call c = server::SystemCall(now);
  std::string reason = absl::StrCat(
      "automatic suspension rule ",
      pdps::workforce::v1::SuspensionRule_Name(tripped.rule()), ": ", tripped.reason());
  // Seed 001 13.6: the suspension opens an action plan, first to agree it with timescales.
  std::vector<ActionItemInput> plan;
  auto due = dates::ParseDay(tripped.action_plan_due_date().value());
  if (!tripped.action_plan_item().empty() && due) plan.push_back({tripped.action_plan_item(), *due});
  ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectActiveAdmissionsOfProvider,
                                     {P(tripped.provider_id()), P(tripped.framework_id()),
                                      db::OrNull(tripped.lot_id())}));
  for (int i = 0; i < r.rows(); ++i) {
    RETURN_IF_ERROR(ApplyTransition(tx, c, r.String(i, "id"), "", domain::AdmissionVerb::kSuspend,
                                    reason, plan)
                        .status());
  }
  log::Info("automatic suspension rule applied",
            {{"provider_id", tripped.provider_id()}, {"framework_id", tripped.framework_id()},
             {"admissions", r.rows()}});
  return absl::OkStatus();
}

absl::StatusOr<v1::Admission> Store::AddActionItems(const Call& c, const std::string& id,
                                                    const std::string& etag,
                                                    const std::vector<ActionItemInput>& plan) {
  v1::Admission out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(OpenPlan open, LockOpenPlan(tx, id, etag, domain::PlanChange::kAddItems));
    RETURN_IF_ERROR(InsertActionItems(tx, id, open.admission.provider_id(), open.partnership_id,
                                      open.suspension_id, plan, c.now));
    ASSIGN_OR_RETURN(out, TouchAdmission(tx, c, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Admission> Store::CompleteActionItem(const Call& c, const std::string& id,
                                                        const std::string& etag,
                                                        const std::string& item_id,
                                                        absl::CivilDay completed) {
  v1::Admission out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(OpenPlan open, LockOpenPlan(tx, id, etag, domain::PlanChange::kCompleteItem));
    // Only the current suspension's items are on the admission (and may be completed).
    ASSIGN_OR_RETURN(Result item, tx.Exec(sql::kSelectCurrentActionItem,
                                          {P(id), P(item_id), P(open.suspension_id)}));
    if (item.rows() == 0) return NotFound("action plan item", item_id);
    action_plan::ItemState state{dates::TodayInLondon(item.Time(0, "add_time")),
                                 dates::ParseDay(item.String(0, "completed_date"))};
    RETURN_IF_ERROR(action_plan::CheckCompletion(state, completed, dates::TodayInLondon(c.now),
                                                 "completed_date",
                                                 Subject("action_plan_item", item_id)));
    ASSIGN_OR_RETURN(Result u, tx.Exec(sql::kCompleteActionItem,
                                       {P(id), P(item_id), P(dates::FormatDay(completed))}));
    // The admission is locked, so nobody else can have completed the item meanwhile.
    if (u.affected() != 1) return absl::InternalError("the action plan item did not update");
    ASSIGN_OR_RETURN(out, TouchAdmission(tx, c, id));
    return absl::OkStatus();
  }));
  return out;
}

// ----------------------------------------------------------------- providers ---

absl::StatusOr<v1::Provider> Store::GetProvider(const Call& c, const std::string& id) {
  ASSIGN_OR_RETURN(Result r, Read(c, sql::kSelectProviderProfile, {P(id)}));
  if (r.rows() == 0) return NotFound("provider", id);
  return ToProvider(r, 0);
}

absl::StatusOr<v1::Provider> Store::UpdateProvider(const Call& c, const v1::Provider& p) {
  v1::Provider out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Result cur, tx.Exec(sql::kSelectProviderProfile, {P(p.id())}));
    if (cur.rows() == 0) return NotFound("provider", p.id());
    if (ToProvider(cur, 0).etag() != p.etag()) return StaleEtag("provider");
    std::vector<std::string> areas;
    for (const auto& a : p.coverage_areas()) areas.push_back(areas::Normalise(a));
    ASSIGN_OR_RETURN(
        Result r, tx.Exec(sql::kUpdateProviderProfile,
                          {P(p.id()), P(p.etag()), P(p.office_postcode()), P(p.office_district()),
                           P(protoutil::ToJsonArray(areas)), P(c.principal.user_id), P(c.now)}));
    if (r.affected() != 1) return StaleEtag("provider");
    ASSIGN_OR_RETURN(Result after, tx.Exec(sql::kSelectProviderProfile, {P(p.id())}));
    out = ToProvider(after, 0);
    return absl::OkStatus();
  }));
  return out;
}

// ---------------------------------------------------------------- compliance ---

namespace {

// The kinds a renewal supersedes (registry.document_renewed), as the statements take them.
const std::string& RenewableKindsJson() {
  static const auto* json = new std::string(protoutil::ToJsonArray(domain::AlwaysMandatoryKinds()));
  return *json;
}

std::vector<db::Param> DocumentValues(const v1::ComplianceDocument& d) {
  bool accounts = d.kind() == v1::ComplianceDocument::ANNUAL_ACCOUNTS;
  auto money = [&](const common::v1::Money& m) { return accounts ? P(m.pence()) : db::Null(); };
  return {P(d.title()),
          P(d.evidence_reference()),
          P(d.issue_date().value()),
          db::OrNull(d.expiry_date().value()),
          P(domain::Mandatory(v1::ComplianceDocument::Kind_Name(d.kind()), d.mandatory())),
          P(d.cqc_rating() == v1::ComplianceDocument::CQC_RATING_UNSPECIFIED
                ? std::string()
                : v1::ComplianceDocument::CqcRating_Name(d.cqc_rating())),
          P(d.cover().pence()),
          money(d.accounts().current_assets()),
          money(d.accounts().current_liabilities()),
          money(d.accounts().net_assets()),
          money(d.accounts().operating_profit()),
          money(d.accounts().capital_employed())};
}

// The rule is domain::CheckDocumentCover's; the minimums are those of the frameworks the
// provider is on now, read in the transaction that files the policy.
absl::Status CheckCover(Tx& tx, const v1::ComplianceDocument& d, const std::string& provider) {
  const std::string& kind = v1::ComplianceDocument::Kind_Name(d.kind());
  if (!domain::IsLiabilityPolicy(kind)) return absl::OkStatus();  // no minimum to read
  ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kInsuranceMinimums, {P(provider)}));
  return domain::CheckDocumentCover(kind, d.cover().pence(),
                                    {r.Int64(0, "employers"), r.Int64(0, "public")});
}

}  // namespace

absl::StatusOr<v1::ComplianceDocument> Store::CreateDocument(const Call& c,
                                                             const v1::ComplianceDocument& d,
                                                             const std::string& request_id) {
  v1::ComplianceDocument out;
  absl::CivilDay today = dates::TodayInLondon(c.now);
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    auto insert = [&](const std::string& id) -> absl::Status {
      RETURN_IF_ERROR(CheckCover(tx, d, c.principal.organisation_id));
      std::vector<db::Param> params = {P(id), P(c.principal.organisation_id),
                                       P(v1::ComplianceDocument::Kind_Name(d.kind()))};
      for (auto& v : DocumentValues(d)) params.push_back(std::move(v));
      params.push_back(P(c.principal.user_id));
      params.push_back(P(c.now));
      RETURN_IF_ERROR(tx.Exec(sql::kInsertDocument, params).status());
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(std::string id, ledger_.CreateOnce(tx, c.principal.organisation_id, request_id,
                                                        "CreateComplianceDocument",
                                                        idempotency::Fingerprint(d), insert));
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectDocument, {P(id)}));
    if (r.rows() == 0) return NotFound("compliance document", id);
    out = ToDocument(r, 0, today);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::ComplianceDocument> Store::GetDocument(const Call& c, const std::string& id) {
  ASSIGN_OR_RETURN(Result r, Read(c, sql::kSelectDocument, {P(id)}));
  if (r.rows() == 0) return NotFound("compliance document", id);
  return ToDocument(r, 0, dates::TodayInLondon(c.now));
}

absl::StatusOr<Listed<v1::ComplianceDocument>> Store::ListDocuments(const Call& c,
                                                                    const DocumentFilter& f,
                                                                    int page_size,
                                                                    const std::string& token) {
  absl::CivilDay today = dates::TodayInLondon(c.now);
  std::string by;
  if (f.expiring_within_days > 0) by = dates::FormatDay(today + f.expiring_within_days);
  std::string fp = absl::StrCat(f.provider_id, "|", f.kind, "|", by, "|", f.mandatory_only);
  // Sorted by expiry only when expiring documents are asked for: else the key's first
  // part is "" (kListDocuments).
  return listing::ReadPage<v1::ComplianceDocument>(
      *pool_, c, sql::kListDocuments, fp, page_size, token,
      {db::OrNull(f.provider_id), db::OrNull(f.kind), db::OrNull(by), P(f.mandatory_only)},
      [today](const Result& r, int i) { return ToDocument(r, i, today); },
      [&by](const Result&, int, const v1::ComplianceDocument& d) {
        return std::pair(by.empty() ? std::string() : d.expiry_date().value(), d.id());
      });
}

absl::StatusOr<v1::ComplianceDocument> Store::UpdateDocument(const Call& c,
                                                             const v1::ComplianceDocument& d) {
  v1::ComplianceDocument out;
  absl::CivilDay today = dates::TodayInLondon(c.now);
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Result cur, tx.Exec(sql::kSelectDocument, {P(d.id())}));
    if (cur.rows() == 0) return NotFound("compliance document", d.id());
    v1::ComplianceDocument current = ToDocument(cur, 0, today);
    if (current.provider_id() != c.principal.organisation_id) {
      return absl::PermissionDeniedError("only the provider may change its documents");
    }
    RETURN_IF_ERROR(domain::ValidateDocumentChange(d, current));
    if (current.etag() != d.etag()) return StaleEtag("compliance document");
    v1::ComplianceDocument next = d;
    next.set_kind(current.kind());
    RETURN_IF_ERROR(CheckCover(tx, next, current.provider_id()));
    std::vector<db::Param> params = {P(d.id()), P(d.etag())};
    for (auto& v : DocumentValues(next)) params.push_back(std::move(v));
    params.push_back(P(c.principal.user_id));
    params.push_back(P(c.now));
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kUpdateDocument, params));
    if (r.affected() != 1) return StaleEtag("compliance document");
    ASSIGN_OR_RETURN(Result after, tx.Exec(sql::kSelectDocument, {P(d.id())}));
    out = ToDocument(after, 0, today);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int> Store::AnnounceExpiredDocuments(absl::Time now, absl::Time deadline) {
  absl::CivilDay today = dates::TodayInLondon(now);
  int n = 0;
  RETURN_IF_ERROR(pool_->InTx(db::Actor::Internal(""), deadline, [&](Tx& tx) -> absl::Status {
    n = 0;
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kClaimExpiredDocuments,
                                       {P(dates::FormatDay(today)), P(RenewableKindsJson())}));
    for (int i = 0; i < r.rows(); ++i) {
      v1::ComplianceDocumentExpired payload;
      *payload.mutable_document() = ToDocument(r, i, today);
      const auto& d = payload.document();
      RETURN_IF_ERROR(
          outbox_.Append(tx, {event_types::registry::kComplianceDocumentExpired,
                              "compliance_document", d.id(), d.provider_id(), &payload}));
      RETURN_IF_ERROR(tx.Exec(sql::kMarkExpiryNotified, {P(d.id())}).status());
      ++n;
    }
    return absl::OkStatus();
  }));
  return n;
}

// ------------------------------------------------------------------ capacity ---

absl::StatusOr<v1::CapacityReturn> Store::CreateCapacityReturn(const Call& c,
                                                               const v1::CapacityReturn& in,
                                                               const std::string& request_id) {
  v1::CapacityReturn out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    out = {};  // InTx may run the body again (db.h)
    auto insert = [&](const std::string& id) -> absl::Status {
      ASSIGN_OR_RETURN(Result f, tx.Exec(sql::kCapacityReturnContext,
                                         {P(in.framework_id()), P(c.principal.organisation_id)}));
      if (f.rows() == 0) return NotFound("framework", in.framework_id());
      if (!f.Bool(0, "admitted")) {
        return FailedPrecondition("capacity returns are made for frameworks you are admitted to",
                                  "NOT_ADMITTED",
                                  Subject("framework", absl::AsciiStrToLower(in.framework_id())));
      }
      absl::CivilMonth month = *dates::ParseMonth(in.month());
      if (!f.IsNull(0, "first_active")) {
        RETURN_IF_ERROR(
            domain::CheckReturnMonthAdmitted(month, dates::TodayInLondon(f.Time(0, "first_active")),
                                             absl::AsciiStrToLower(in.framework_id())));
      }
      int due_day = static_cast<int>(f.Int64(0, "capacity_return_due_day"));
      bool late = domain::IsLate(month, due_day, dates::TodayInLondon(c.now));
      const std::string first_day = dates::FormatDay(absl::CivilDay(month));
      ASSIGN_OR_RETURN(
          Result inserted,
          db::InsertUnique(
              tx,
              {sql::kInsertCapacityReturn,
               {P(id), P(c.principal.organisation_id), P(in.framework_id()),
                P(f.String(0, "partnership_id")), P(first_day), P(in.care_workers_employed()),
                P(in.current_packages()), P(in.current_total_weekly_hours()),
                P(in.estimated_weekly_hours_available()), P(late), P(c.now),
                P(c.principal.user_id)}},
              {sql::kSelectCapacityReturnByKey,
               {P(c.principal.organisation_id), P(in.framework_id()), P(first_day)}},
              absl::StrCat("a capacity return for ", in.month(),
                           " on this framework was already made"),
              v1::CapacityReturn::descriptor()->full_name()));
      out = ToCapacityReturn(inserted, 0);
      v1::CapacityReturnSubmitted payload;
      *payload.mutable_capacity_return() = out;
      return outbox_.Append(tx, {event_types::registry::kCapacityReturnSubmitted, "capacity_return",
                                 id, out.provider_id(), &payload});
    };
    ASSIGN_OR_RETURN(std::string id, ledger_.CreateOnce(tx, c.principal.organisation_id, request_id,
                                                        "CreateCapacityReturn",
                                                        idempotency::Fingerprint(in), insert));
    // Made now, `out` is the row just inserted (a benchmarked path: no second read).
    if (out.id() == id) return absl::OkStatus();
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectCapacityReturn, {P(id)}));
    if (r.rows() == 0) return NotFound("capacity return", id);
    out = ToCapacityReturn(r, 0);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Listed<v1::CapacityReturn>> Store::ListCapacityReturns(const Call& c,
                                                                      const CapacityFilter& f,
                                                                      int page_size,
                                                                      const std::string& token) {
  std::string fp = absl::StrCat(f.framework_id, "|", f.provider_id, "|", f.month);
  db::Param month = db::Null();
  if (!f.month.empty()) month = f.month + "-01";
  return listing::ReadPage<v1::CapacityReturn>(
      *pool_, c, sql::kListCapacityReturns, fp, page_size, token,
      {db::OrNull(f.framework_id), db::OrNull(f.provider_id), month}, ToCapacityReturn,
      [](const Result&, int, const v1::CapacityReturn& r) { return r.id(); });
}

absl::StatusOr<Listed<Store::Late>> Store::ListLateReturns(const Call& c,
                                                           const std::string& framework_id,
                                                           absl::CivilMonth month, int page_size,
                                                           const std::string& token) {
  std::string fp = absl::StrCat(framework_id, "|", dates::FormatMonth(month));
  Listed<Late> out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    out = {};  // InTx may run the body again (db.h)
    ASSIGN_OR_RETURN(v1::Framework f, ReadFramework(tx, framework_id));
    ASSIGN_OR_RETURN(bool member, ActsFor(tx, f.partnership_id()));
    if (!member) {
      // The framework is published (the caller could read it): say who may list.
      return absl::PermissionDeniedError(
          "only commissioners of the partnership that owns the framework may list its late "
          "capacity returns");
    }
    // Nothing is late before the due date has passed.
    const domain::CapacityReturnOwed owed =
        domain::WhoOwesCapacityReturn(month, f.capacity_return_due_day());
    const absl::CivilDay due = owed.due;
    if (dates::TodayInLondon(c.now) <= due) return absl::OkStatus();
    // The owing admissions' history, as instants: made ACTIVE before the day after
    // `admitted_by` began in London, not terminated before the due day began.
    ASSIGN_OR_RETURN(
        out, listing::ReadPage<Late>(
                 tx, sql::kListLateReturns, fp, page_size, token,
                 {P(framework_id), P(dates::FormatDay(absl::CivilDay(month))),
                  P(dates::StartOfDay(owed.admitted_by + 1)), P(dates::StartOfDay(due))},
                 [due](const Result& r, int i) {
                   return Late{r.String(i, "provider_id"), r.String(i, "display_name"), due};
                 },
                 [](const Result&, int, const Late& l) { return l.provider_id; }));
    return absl::OkStatus();
  }));
  return out;
}

// --------------------------------------------------------------- eligibility ---

absl::StatusOr<Listed<v1::EligibleProvider>> Store::ListEligible(const Call& c,
                                                                 const std::string& lot_id,
                                                                 const std::string& area,
                                                                 absl::CivilDay date,
                                                                 int page_size,
                                                                 const std::string& token) {
  std::string norm = areas::Normalise(area);
  std::string fp = absl::StrCat(lot_id, "|", norm, "|", dates::FormatDay(date));
  // Service identities see every lot; officers only their partnerships' (checked in SQL).
  ASSIGN_OR_RETURN(
      Listed<v1::EligibleProvider> out,
      listing::ReadPage<v1::EligibleProvider>(
          *pool_, c, sql::kListEligible, fp, page_size, token,
          {P(lot_id), P(norm), P(dates::FormatDay(date)),
           P(dates::FormatDay(absl::CivilDay(domain::EarliestCapacityMonth(date)))),
           P(c.principal.IsService()), P(RenewableKindsJson())},
          [](const Result& r, int i) {
            v1::EligibleProvider e;
            e.set_provider_id(r.String(i, "provider_id"));
            e.set_display_name(r.String(i, "display_name"));
            e.set_admission_id(r.String(i, "admission_id"));
            e.set_estimated_weekly_hours_available(static_cast<int>(r.Int64(i, "hours")));
            e.set_capacity_month(r.String(i, "month"));
            return e;
          },
          [](const Result&, int, const v1::EligibleProvider& e) { return e.provider_id(); }));
  if (out.items.empty() && token.empty()) {
    // Nobody eligible, a lot of another partnership, or no such lot: tell them apart. A
    // published lot is readable by anyone, so refusing it reveals nothing.
    ASSIGN_OR_RETURN(Result lot, Read(c, sql::kLotVisibleForBrokerage,
                                      {P(lot_id), P(c.principal.IsService())}));
    if (lot.rows() == 0) {
      ASSIGN_OR_RETURN(v1::Lot readable, GetLot(c, lot_id));
      return absl::PermissionDeniedError(absl::StrCat(
          "only officers of the partnership that owns lot ", readable.id(),
          "'s framework may list its eligible providers"));
    }
  }
  return out;
}

}  // namespace pdps::registry
