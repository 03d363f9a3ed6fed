// Workforce handlers. Each one: check the request's shape, ask the registry what it must
// (commissioning.h) and the store for the rest, copy the result into the response.
// Authentication, authorisation, deadlines, logging, metrics and error mapping happen in
// server::Gate.
#include "services/workforce/api/workforce_service.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api.h"
#include "common/dates.h"
#include "common/ids.h"
#include "common/status.h"
#include "services/workforce/domain/validate.h"

namespace pdps::workforce {
namespace {

using api::CopyPage;
using api::OptionalId;
using api::RequireId;
using api::RequireOwnOrganisation;
using domain::Day;
using server::Call;

Day Today(const Call& c) { return dates::TodayInLondon(c.now); }

// A list's provider_id filter: a provider names only itself (another is
// PERMISSION_DENIED, as everywhere a request names an organisation); others may name any.
absl::Status ProviderFilter(const Call& c, const std::string& provider_id) {
  RETURN_IF_ERROR(OptionalId("provider_id", provider_id));
  if (!c.principal.IsProvider()) return absl::OkStatus();
  return RequireOwnOrganisation(c.principal.organisation_id, provider_id, "provider_id");
}

// An optional date defaulting to today in London.
absl::StatusOr<Day> DayOrToday(const Call& c, const char* field, const pdps::common::v1::Date& d) {
  return api::DayOrToday(field, d.value(), Today(c));
}

}  // namespace

// -------------------------------------------------------------------- staff ---

absl::Status WorkforceServiceImpl::RequireWorkingLots(const Call& c, const v1::StaffMember& s,
                                                      const std::set<std::string>& kept) const {
  if (s.lot_ids().empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto working, check_->WorkingLots(c.principal.organisation_id));
  std::set<std::string> kept_lower;
  for (const auto& lot : kept) kept_lower.insert(absl::AsciiStrToLower(lot));
  return domain::ValidateStaffLots(s, working, kept_lower);
}

grpc::Status WorkforceServiceImpl::CreateStaffMember(grpc::ServerContext* ctx,
                                                     const v1::CreateStaffMemberRequest* req,
                                                     v1::StaffMember* resp) {
  return gate_->Run(ctx, "CreateStaffMember", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireOwnOrganisation(c.principal.organisation_id,
                                           req->staff_member().provider_id(),
                                           "staff_member.provider_id"));
    RETURN_IF_ERROR(domain::ValidateStaff(req->staff_member(), Today(c)));
    RETURN_IF_ERROR(RequireWorkingLots(c, req->staff_member(), {}));
    ASSIGN_OR_RETURN(*resp, store_->CreateStaff(c, req->staff_member(), req->request_id()));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::GetStaffMember(grpc::ServerContext* ctx,
                                                  const v1::GetStaffMemberRequest* req,
                                                  v1::StaffMember* resp) {
  return gate_->Run(ctx, "GetStaffMember", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    ASSIGN_OR_RETURN(*resp, store_->GetStaff(c, req->id()));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::ListStaffMembers(grpc::ServerContext* ctx,
                                                    const v1::ListStaffMembersRequest* req,
                                                    v1::ListStaffMembersResponse* resp) {
  return gate_->Run(ctx, "ListStaffMembers", *req, [&](const Call& c) -> absl::Status {
    ASSIGN_OR_RETURN(auto page, store_->ListStaff(c, req->include_leavers(), req->page_size(),
                                                  req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_staff_members(); });
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::UpdateStaffMember(grpc::ServerContext* ctx,
                                                     const v1::UpdateStaffMemberRequest* req,
                                                     v1::StaffMember* resp) {
  return gate_->Run(ctx, "UpdateStaffMember", *req, [&](const Call& c) -> absl::Status {
    const auto& s = req->staff_member();
    RETURN_IF_ERROR(RequireId("staff_member.id", s.id()));
    RETURN_IF_ERROR(api::RequireEtag("staff_member.etag", s.etag(), "staff member"));
    RETURN_IF_ERROR(RequireOwnOrganisation(c.principal.organisation_id, s.provider_id(),
                                           "staff_member.provider_id"));
    RETURN_IF_ERROR(domain::ValidateStaff(s, Today(c)));
    if (s.lot_ids_size() > 0) {
      ASSIGN_OR_RETURN(v1::StaffMember stored, store_->GetStaff(c, s.id()));
      RETURN_IF_ERROR(RequireWorkingLots(
          c, s, std::set<std::string>(stored.lot_ids().begin(), stored.lot_ids().end())));
    }
    ASSIGN_OR_RETURN(*resp, store_->UpdateStaff(c, s));
    return absl::OkStatus();
  });
}

// --------------------------------------------------------- training matrices ---

grpc::Status WorkforceServiceImpl::CreateTrainingMatrix(grpc::ServerContext* ctx,
                                                        const v1::CreateTrainingMatrixRequest* req,
                                                        v1::TrainingMatrix* resp) {
  return gate_->Run(ctx, "CreateTrainingMatrix", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(domain::ValidateMatrix(req->training_matrix()));
    RETURN_IF_ERROR(check_->Require(c, "keep its lots' training matrices",
                                    req->training_matrix().framework_id(), "",
                                    {req->training_matrix().lot_id(), "training_matrix.lot_id"}));
    ASSIGN_OR_RETURN(*resp, store_->CreateMatrix(c, req->training_matrix(), req->request_id()));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::GetTrainingMatrix(grpc::ServerContext* ctx,
                                                     const v1::GetTrainingMatrixRequest* req,
                                                     v1::TrainingMatrix* resp) {
  return gate_->Run(ctx, "GetTrainingMatrix", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    ASSIGN_OR_RETURN(*resp, store_->GetMatrix(c, req->id()));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::ListTrainingMatrices(grpc::ServerContext* ctx,
                                                        const v1::ListTrainingMatricesRequest* req,
                                                        v1::ListTrainingMatricesResponse* resp) {
  return gate_->Run(ctx, "ListTrainingMatrices", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(OptionalId("lot_id", req->lot_id()));
    RETURN_IF_ERROR(OptionalId("framework_id", req->framework_id()));
    ASSIGN_OR_RETURN(auto page, store_->ListMatrices(c, req->lot_id(), req->framework_id(),
                                                     req->page_size(), req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_training_matrices(); });
    return absl::OkStatus();
  });
}

// --------------------------------------------------------- training records ---

grpc::Status WorkforceServiceImpl::CreateTrainingRecord(grpc::ServerContext* ctx,
                                                        const v1::CreateTrainingRecordRequest* req,
                                                        v1::TrainingRecord* resp) {
  return gate_->Run(ctx, "CreateTrainingRecord", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(domain::ValidateTrainingRecord(req->training_record(), Today(c)));
    ASSIGN_OR_RETURN(*resp, store_->CreateTraining(c, req->training_record(), req->request_id()));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::ListTrainingRecords(grpc::ServerContext* ctx,
                                                       const v1::ListTrainingRecordsRequest* req,
                                                       v1::ListTrainingRecordsResponse* resp) {
  return gate_->Run(ctx, "ListTrainingRecords", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("staff_id", req->staff_id()));
    RETURN_IF_ERROR(OptionalId("lot_id", req->lot_id()));
    ASSIGN_OR_RETURN(Day day, DayOrToday(c, "date", req->date()));
    const std::string lot = absl::AsciiStrToLower(req->lot_id());
    auto page =
        store_->ListTraining(c, req->staff_id(), lot, day, req->page_size(), req->page_token());
    if (!page.ok()) return check_->NoMatrixOrUnknownLot(c, lot, page.status());
    CopyPage(*std::move(page), resp, [](auto* r) { return r->add_training_records(); });
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::VoidTrainingRecord(grpc::ServerContext* ctx,
                                                      const v1::VoidTrainingRecordRequest* req,
                                                      v1::TrainingRecord* resp) {
  return gate_->Run(ctx, "VoidTrainingRecord", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    RETURN_IF_ERROR(api::RequireReason(req->reason()));
    ASSIGN_OR_RETURN(*resp, store_->VoidTraining(c, req->id(), req->reason()));
    return absl::OkStatus();
  });
}

// --------------------------------------------------------------- compliance ---

grpc::Status WorkforceServiceImpl::CheckWorkerEligibility(
    grpc::ServerContext* ctx, const v1::CheckWorkerEligibilityRequest* req,
    v1::CheckWorkerEligibilityResponse* resp) {
  return gate_->Run(ctx, "CheckWorkerEligibility", *req, [&](const Call& c) -> absl::Status {
    Violations v;
    v.Id("staff_id", req->staff_id());
    if (req->package_id().empty() && req->lot_id().empty()) {
      v.Add("lot_id", "is required unless package_id is given");
    }
    v.Id("lot_id", req->lot_id(), false);
    v.Id("package_id", req->package_id(), false);
    v.Id("provider_id", req->provider_id(), false);
    v.CompetencyCodes("extra_competencies", req->extra_competencies(), kMaxExtraCompetencies);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(Day day, DayOrToday(c, "date", req->date()));
    std::string lot = absl::AsciiStrToLower(req->lot_id());
    std::string provider = absl::AsciiStrToLower(req->provider_id());
    std::vector<std::string> extras(req->extra_competencies().begin(),
                                    req->extra_competencies().end());
    if (!req->package_id().empty()) {
      ASSIGN_OR_RETURN(v1::Package p, store_->GetPackage(c, req->package_id()));
      RETURN_IF_ERROR(check_->RequirePackageParty(c, p));
      if (!lot.empty() && lot != p.lot_id()) {
        return InvalidField("lot_id", "is not the package's lot (leave it empty)");
      }
      std::string asked = absl::AsciiStrToLower(req->provider_id());
      if (!asked.empty() && asked != p.provider_id()) {
        return InvalidField("provider_id", "is not the package's provider (leave it empty)");
      }
      provider = p.provider_id();  // a worker is checked only for its own provider's package
      lot = p.lot_id();
      extras.insert(extras.end(), p.extra_competencies().begin(), p.extra_competencies().end());
    }
    auto answer = store_->CheckEligibility(c, req->staff_id(), provider, lot, extras, day);
    if (!answer.ok()) return check_->NoMatrixOrUnknownLot(c, lot, answer.status());
    *resp = *std::move(answer);
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::GetWorkforceCompliance(
    grpc::ServerContext* ctx, const v1::GetWorkforceComplianceRequest* req,
    v1::WorkforceCompliance* resp) {
  return gate_->Run(ctx, "GetWorkforceCompliance", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("provider_id", req->provider_id()));
    RETURN_IF_ERROR(RequireId("lot_id", req->lot_id()));
    ASSIGN_OR_RETURN(Day day, DayOrToday(c, "date", req->date()));
    const std::string provider = absl::AsciiStrToLower(req->provider_id());
    const std::string lot = absl::AsciiStrToLower(req->lot_id());
    RETURN_IF_ERROR(check_->RequireWorkforceReader(c, "workforce compliance", lot, provider));
    auto compliance = store_->Compliance(c, provider, lot, day);
    if (!compliance.ok()) return check_->NoMatrixOrUnknownLot(c, lot, compliance.status());
    *resp = *std::move(compliance);
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::ListExpiries(grpc::ServerContext* ctx,
                                                const v1::ListExpiriesRequest* req,
                                                v1::ListExpiriesResponse* resp) {
  return gate_->Run(ctx, "ListExpiries", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(OptionalId("lot_id", req->lot_id()));
    if (req->within_days() < 0 || req->within_days() > 366) {
      return InvalidField("within_days", "must be from 0 (default 30) to 366");
    }
    ASSIGN_OR_RETURN(Day day, DayOrToday(c, "date", req->date()));
    int within = req->within_days() == 0 ? 30 : req->within_days();
    const std::string lot = absl::AsciiStrToLower(req->lot_id());
    auto page = store_->ListExpiries(c, lot, day, within, req->page_size(), req->page_token());
    if (!page.ok()) return check_->NoMatrixOrUnknownLot(c, lot, page.status());
    CopyPage(*std::move(page), resp, [](auto* r) { return r->add_items(); });
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::GetWorkforceReturn(grpc::ServerContext* ctx,
                                                      const v1::GetWorkforceReturnRequest* req,
                                                      v1::WorkforceReturn* resp) {
  return gate_->Run(ctx, "GetWorkforceReturn", *req, [&](const Call& c) -> absl::Status {
    Violations v;
    auto q = v.Quarter("quarter", req->quarter(), Today(c));
    v.Id("lot_id", req->lot_id(), false);
    v.Id("provider_id", req->provider_id(), false);
    const std::string own = absl::AsciiStrToLower(c.principal.organisation_id);
    const std::string provider =
        req->provider_id().empty() ? own : absl::AsciiStrToLower(req->provider_id());
    const bool is_provider = c.principal.IsProvider();
    if (!is_provider && req->provider_id().empty()) {
      v.Add("provider_id", "is required unless you ask as a provider for your own return");
    }
    if (is_provider) {
      RETURN_IF_ERROR(RequireOwnOrganisation(own, req->provider_id(), "provider_id"));
    } else if (provider != own && req->lot_id().empty()) {
      v.Add("lot_id",
            "is required for another organisation's return (the lot whose "
            "framework you commission)");
    }
    RETURN_IF_ERROR(v.ToStatus());
    const std::string lot = absl::AsciiStrToLower(req->lot_id());
    if (provider != own) {
      RETURN_IF_ERROR(check_->RequireWorkforceReader(c, "workforce returns", lot, provider));
    }
    // Provider-wide, DBS and supervision follow the lots it works on, as the registry's
    // admissions say (decision 0068).
    std::set<std::string> working_lots;
    if (lot.empty()) {
      ASSIGN_OR_RETURN(working_lots, check_->WorkingLots(provider));
    }
    auto figures = store_->WorkforceReturn(c, provider, q->quarter, q->period, lot, working_lots);
    if (!figures.ok()) return check_->NoMatrixOrUnknownLot(c, lot, figures.status());
    *resp = *std::move(figures);
    return absl::OkStatus();
  });
}

// --------------------------------------------------------------- complaints ---

grpc::Status WorkforceServiceImpl::CreateComplaint(grpc::ServerContext* ctx,
                                                   const v1::CreateComplaintRequest* req,
                                                   v1::Complaint* resp) {
  return gate_->Run(ctx, "CreateComplaint", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireOwnOrganisation(
        c.principal.organisation_id, req->complaint().provider_id(), "complaint.provider_id"));
    RETURN_IF_ERROR(domain::ValidateComplaint(req->complaint(), c.now));
    RETURN_IF_ERROR(check_->RequireAdmittedProvider(
        c, req->complaint().framework_id(), {req->complaint().lot_id(), "complaint.lot_id"}));
    ASSIGN_OR_RETURN(*resp, store_->CreateComplaint(c, req->complaint(), req->request_id()));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::GetComplaint(grpc::ServerContext* ctx,
                                                const v1::GetComplaintRequest* req,
                                                v1::Complaint* resp) {
  return gate_->Run(ctx, "GetComplaint", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    ASSIGN_OR_RETURN(*resp, store_->GetComplaint(c, req->id()));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::ListComplaints(grpc::ServerContext* ctx,
                                                  const v1::ListComplaintsRequest* req,
                                                  v1::ListComplaintsResponse* resp) {
  return gate_->Run(ctx, "ListComplaints", *req, [&](const Call& c) -> absl::Status {
    ASSIGN_OR_RETURN(auto page, store_->ListComplaints(c, req->overdue_only(), req->page_size(),
                                                       req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_complaints(); });
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::AcknowledgeComplaint(grpc::ServerContext* ctx,
                                                        const v1::AcknowledgeComplaintRequest* req,
                                                        v1::Complaint* resp) {
  return gate_->Run(ctx, "AcknowledgeComplaint", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    RETURN_IF_ERROR(api::RequireEtag("etag", req->etag(), "complaint"));
    ASSIGN_OR_RETURN(*resp, store_->AcknowledgeComplaint(c, req->id(), req->etag()));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::AnswerComplaint(grpc::ServerContext* ctx,
                                                   const v1::AnswerComplaintRequest* req,
                                                   v1::Complaint* resp) {
  return gate_->Run(ctx, "AnswerComplaint", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    RETURN_IF_ERROR(api::RequireEtag("etag", req->etag(), "complaint"));
    RETURN_IF_ERROR(domain::ValidateAnswer(req->outcome(), req->learning()));
    ASSIGN_OR_RETURN(
        *resp, store_->AnswerComplaint(c, req->id(), req->etag(), req->outcome(), req->learning()));
    return absl::OkStatus();
  });
}

// ------------------------------------------------------- quality monitoring ---

grpc::Status WorkforceServiceImpl::CreateMonitoringVisit(
    grpc::ServerContext* ctx, const v1::CreateMonitoringVisitRequest* req,
    v1::MonitoringVisit* resp) {
  return gate_->Run(ctx, "CreateMonitoringVisit", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(domain::ValidateVisit(req->visit(), Today(c)));
    RETURN_IF_ERROR(check_->Require(c, "record monitoring visits on it",
                                    req->visit().framework_id(), req->visit().provider_id(),
                                    {req->visit().lot_id(), "visit.lot_id"}));
    ASSIGN_OR_RETURN(*resp, store_->CreateVisit(c, req->visit(), req->request_id()));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::ListMonitoringVisits(grpc::ServerContext* ctx,
                                                        const v1::ListMonitoringVisitsRequest* req,
                                                        v1::ListMonitoringVisitsResponse* resp) {
  return gate_->Run(ctx, "ListMonitoringVisits", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(ProviderFilter(c, req->provider_id()));
    ASSIGN_OR_RETURN(auto page, store_->ListVisits(c, absl::AsciiStrToLower(req->provider_id()),
                                                   req->page_size(), req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_visits(); });
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::CreateActionPlan(grpc::ServerContext* ctx,
                                                    const v1::CreateActionPlanRequest* req,
                                                    v1::ActionPlan* resp) {
  return gate_->Run(ctx, "CreateActionPlan", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(domain::ValidateActionPlan(req->action_plan(), Today(c)));
    RETURN_IF_ERROR(check_->Require(c, "agree action plans on it",
                                    req->action_plan().framework_id(),
                                    req->action_plan().provider_id()));
    ASSIGN_OR_RETURN(*resp, store_->CreatePlan(c, req->action_plan(), req->request_id()));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::ListActionPlans(grpc::ServerContext* ctx,
                                                   const v1::ListActionPlansRequest* req,
                                                   v1::ListActionPlansResponse* resp) {
  return gate_->Run(ctx, "ListActionPlans", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(ProviderFilter(c, req->provider_id()));
    ASSIGN_OR_RETURN(auto page, store_->ListPlans(c, absl::AsciiStrToLower(req->provider_id()),
                                                  req->page_size(), req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_action_plans(); });
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::CompleteActionItem(grpc::ServerContext* ctx,
                                                      const v1::CompleteActionItemRequest* req,
                                                      v1::ActionPlan* resp) {
  return gate_->Run(ctx, "CompleteActionItem", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    RETURN_IF_ERROR(api::RequireEtag("etag", req->etag(), "action plan"));
    // From the London day the plan was made, when its items were given, to today: the
    // store checks it with action_plan::CheckCompletion (decision 75).
    ASSIGN_OR_RETURN(Day day, DayOrToday(c, "completed_on", req->completed_on()));
    ASSIGN_OR_RETURN(*resp,
                     store_->CompleteItem(c, req->id(), req->etag(), req->item_index(), day));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::RecordFinancialAccounts(
    grpc::ServerContext* ctx, const v1::RecordFinancialAccountsRequest* req,
    v1::FinancialAccounts* resp) {
  return gate_->Run(ctx, "RecordFinancialAccounts", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(domain::ValidateAccounts(req->accounts(), Today(c)));
    RETURN_IF_ERROR(check_->Require(c, "record accounts on it", req->accounts().framework_id(),
                                    req->accounts().provider_id()));
    ASSIGN_OR_RETURN(*resp, store_->RecordAccounts(c, req->accounts(), req->request_id()));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::ReviseFinancialAccounts(
    grpc::ServerContext* ctx, const v1::ReviseFinancialAccountsRequest* req,
    v1::FinancialAccounts* resp) {
  return gate_->Run(ctx, "ReviseFinancialAccounts", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(domain::ValidateAccountsRevision(req->accounts(), req->reason()));
    // What names the accounts is checked against the record before the registry is asked
    // whether the caller still commissions the framework.
    ASSIGN_OR_RETURN(v1::FinancialAccounts recorded, store_->GetAccounts(c, req->accounts().id()));
    RETURN_IF_ERROR(domain::ValidateSameAccounts(recorded, req->accounts()));
    RETURN_IF_ERROR(check_->Require(c, "revise accounts on it", recorded.framework_id(),
                                    recorded.provider_id()));
    ASSIGN_OR_RETURN(*resp, store_->ReviseAccounts(c, req->accounts(), req->reason()));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::GetFinancialAccounts(grpc::ServerContext* ctx,
                                                        const v1::GetFinancialAccountsRequest* req,
                                                        v1::FinancialAccounts* resp) {
  return gate_->Run(ctx, "GetFinancialAccounts", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    ASSIGN_OR_RETURN(*resp, store_->GetAccounts(c, req->id()));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::ListFinancialAccounts(
    grpc::ServerContext* ctx, const v1::ListFinancialAccountsRequest* req,
    v1::ListFinancialAccountsResponse* resp) {
  return gate_->Run(ctx, "ListFinancialAccounts", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(ProviderFilter(c, req->provider_id()));
    ASSIGN_OR_RETURN(auto page, store_->ListAccounts(c, absl::AsciiStrToLower(req->provider_id()),
                                                     req->page_size(), req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_accounts(); });
    return absl::OkStatus();
  });
}

// --------------------------------------------------------- suspension rules ---

grpc::Status WorkforceServiceImpl::SetSuspensionRules(grpc::ServerContext* ctx,
                                                      const v1::SetSuspensionRulesRequest* req,
                                                      v1::SuspensionRules* resp) {
  return gate_->Run(ctx, "SetSuspensionRules", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(domain::ValidateRules(req->rules()));
    RETURN_IF_ERROR(check_->Require(c, "set its suspension rules", req->rules().framework_id()));
    ASSIGN_OR_RETURN(*resp, store_->SetRules(c, domain::WithDefaults(req->rules())));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::GetSuspensionRules(grpc::ServerContext* ctx,
                                                      const v1::GetSuspensionRulesRequest* req,
                                                      v1::SuspensionRules* resp) {
  return gate_->Run(ctx, "GetSuspensionRules", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("framework_id", req->framework_id()));
    auto rules = store_->GetRules(c, req->framework_id());
    if (!absl::IsNotFound(rules.status())) {
      ASSIGN_OR_RETURN(*resp, std::move(rules));
      return absl::OkStatus();
    }
    // None set: what applies is the defaults (nothing trips), read back as such once the
    // registry says the framework exists; no etag and no owner until someone sets them.
    RETURN_IF_ERROR(check_->RequireFramework(req->framework_id()));
    v1::SuspensionRules defaults;
    defaults.set_framework_id(absl::AsciiStrToLower(req->framework_id()));
    *resp = domain::WithDefaults(std::move(defaults));
    return absl::OkStatus();
  });
}

// ----------------------------------------------------------------- packages ---

grpc::Status WorkforceServiceImpl::GetPackage(grpc::ServerContext* ctx,
                                              const v1::GetPackageRequest* req, v1::Package* resp) {
  return gate_->Run(ctx, "GetPackage", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    ASSIGN_OR_RETURN(v1::Package p, store_->GetPackage(c, req->id()));
    RETURN_IF_ERROR(check_->RequirePackageParty(c, p));
    *resp = std::move(p);
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::ListPackages(grpc::ServerContext* ctx,
                                                const v1::ListPackagesRequest* req,
                                                v1::ListPackagesResponse* resp) {
  return gate_->Run(ctx, "ListPackages", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(OptionalId("provider_id", req->provider_id()));
    // A provider lists its own (row-level security would hide the rest anyway).
    if (!c.principal.IsService()) {
      RETURN_IF_ERROR(
          RequireOwnOrganisation(c.principal.organisation_id, req->provider_id(), "provider_id"));
    }
    const std::string& asked =
        c.principal.IsService() ? req->provider_id() : c.principal.organisation_id;
    const std::string provider = absl::AsciiStrToLower(asked);
    ASSIGN_OR_RETURN(auto page,
                     store_->ListPackages(c, provider, req->page_size(), req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_packages(); });
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::CreatePackageAssignment(
    grpc::ServerContext* ctx, const v1::CreatePackageAssignmentRequest* req,
    v1::PackageAssignment* resp) {
  return gate_->Run(ctx, "CreatePackageAssignment", *req, [&](const Call& c) -> absl::Status {
    const auto& a = req->assignment();
    Violations v;
    v.Id("assignment.package_id", a.package_id());
    v.Id("assignment.staff_id", a.staff_id());
    RETURN_IF_ERROR(v.ToStatus());
    std::optional<Day> from;  // none: today, or the package's start if later
    if (!a.from_date().value().empty()) {
      ASSIGN_OR_RETURN(from, DayOrToday(c, "assignment.from_date", a.from_date()));
    }
    ASSIGN_OR_RETURN(
        *resp, store_->CreateAssignment(c, a.package_id(), a.staff_id(), from, req->request_id()));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::EndPackageAssignment(grpc::ServerContext* ctx,
                                                        const v1::EndPackageAssignmentRequest* req,
                                                        v1::PackageAssignment* resp) {
  return gate_->Run(ctx, "EndPackageAssignment", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    RETURN_IF_ERROR(api::RequireEtag("etag", req->etag(), "assignment"));
    RETURN_IF_ERROR(api::RequireReason(req->reason()));
    ASSIGN_OR_RETURN(Day last, DayOrToday(c, "last_day", req->last_day()));
    ASSIGN_OR_RETURN(*resp, store_->EndAssignment(c, req->id(), req->etag(), last, req->reason()));
    return absl::OkStatus();
  });
}

grpc::Status WorkforceServiceImpl::ListPackageWorkers(grpc::ServerContext* ctx,
                                                      const v1::ListPackageWorkersRequest* req,
                                                      v1::ListPackageWorkersResponse* resp) {
  return gate_->Run(ctx, "ListPackageWorkers", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("package_id", req->package_id()));
    ASSIGN_OR_RETURN(Day day, DayOrToday(c, "date", req->date()));
    ASSIGN_OR_RETURN(v1::Package p, store_->GetPackage(c, req->package_id()));
    RETURN_IF_ERROR(check_->RequirePackageParty(c, p));
    ASSIGN_OR_RETURN(auto page, store_->ListPackageWorkers(c, p, day, req->include_ended(),
                                                           req->page_size(), req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_workers(); });
    return absl::OkStatus();
  });
}

}  // namespace pdps::workforce
