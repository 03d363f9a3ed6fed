// Registry handlers. Each one: validate the request, call the store, copy the result
// into the response. Authentication, authorisation, deadlines, logging, metrics
// and error mapping happen in server::Gate.
#include "services/registry/api/registry_service.h"

#include "absl/strings/str_cat.h"
#include "common/api.h"
#include "common/areas.h"
#include "common/dates.h"
#include "common/ids.h"
#include "common/status.h"
#include "services/registry/api/access.h"
#include "services/registry/domain/validate.h"

namespace pdps::registry {
namespace {

using api::CopyPage;
using api::OptionalId;
using api::RequireId;
using api::RequireOwnOrganisation;
using api::RequireReason;
using server::Call;

absl::Status Verb(Store* store, const Call& c, const std::string& id, const std::string& etag,
                  domain::AdmissionVerb verb, const std::string& reason, bool reason_required,
                  v1::Admission* resp) {
  RETURN_IF_ERROR(RequireId("id", id));
  RETURN_IF_ERROR(api::RequireEtag("etag", etag, "admission"));
  Violations v;
  v.Text("reason", reason, api::kMaxReasonCharacters, reason_required);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(*resp, store->TransitionAdmission(c, id, etag, verb, reason, {}));
  return absl::OkStatus();
}

}  // namespace

grpc::Status RegistryServiceImpl::CreateOrganisation(grpc::ServerContext* ctx,
                                                     const v1::CreateOrganisationRequest* req,
                                                     v1::Organisation* resp) {
  return gate_->Run(ctx, "CreateOrganisation", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(domain::ValidateOrganisation(req->organisation()));
    ASSIGN_OR_RETURN(*resp, store_->CreateOrganisation(c, req->organisation(), req->request_id()));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::GetOrganisation(grpc::ServerContext* ctx,
                                                  const v1::GetOrganisationRequest* req,
                                                  v1::Organisation* resp) {
  return gate_->Run(ctx, "GetOrganisation", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    ASSIGN_OR_RETURN(*resp, store_->GetOrganisation(c, req->id()));
    ShapeOrganisation(c.principal, resp);
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::ListOrganisations(grpc::ServerContext* ctx,
                                                    const v1::ListOrganisationsRequest* req,
                                                    v1::ListOrganisationsResponse* resp) {
  return gate_->Run(ctx, "ListOrganisations", *req, [&](const Call& c) -> absl::Status {
    std::string kind = req->kind() == v1::Organisation::KIND_UNSPECIFIED
                           ? ""
                           : v1::Organisation::Kind_Name(req->kind());
    ASSIGN_OR_RETURN(auto page,
                     store_->ListOrganisations(c, kind, req->page_size(), req->page_token()));
    for (auto& org : page.items) ShapeOrganisation(c.principal, &org);
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_organisations(); });
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::CreatePartnership(grpc::ServerContext* ctx,
                                                    const v1::CreatePartnershipRequest* req,
                                                    v1::Partnership* resp) {
  return gate_->Run(ctx, "CreatePartnership", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(domain::ValidatePartnership(req->partnership()));
    ASSIGN_OR_RETURN(*resp, store_->CreatePartnership(c, req->partnership(), req->request_id()));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::GetPartnership(grpc::ServerContext* ctx,
                                                 const v1::GetPartnershipRequest* req,
                                                 v1::Partnership* resp) {
  return gate_->Run(ctx, "GetPartnership", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    ASSIGN_OR_RETURN(*resp, store_->GetPartnership(c, req->id()));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::ListPartnerships(grpc::ServerContext* ctx,
                                                   const v1::ListPartnershipsRequest* req,
                                                   v1::ListPartnershipsResponse* resp) {
  return gate_->Run(ctx, "ListPartnerships", *req, [&](const Call& c) -> absl::Status {
    ASSIGN_OR_RETURN(auto page,
                     store_->ListPartnerships(c, req->mine(), req->page_size(), req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_partnerships(); });
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::CreateFramework(grpc::ServerContext* ctx,
                                                  const v1::CreateFrameworkRequest* req,
                                                  v1::Framework* resp) {
  return gate_->Run(ctx, "CreateFramework", *req, [&](const Call& c) -> absl::Status {
    v1::Framework f = req->framework();
    domain::ApplyFrameworkDefaults(&f);
    RETURN_IF_ERROR(domain::ValidateFramework(f, /*create=*/true));
    ASSIGN_OR_RETURN(*resp, store_->CreateFramework(c, f, req->request_id()));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::GetFramework(grpc::ServerContext* ctx,
                                               const v1::GetFrameworkRequest* req,
                                               v1::Framework* resp) {
  return gate_->Run(ctx, "GetFramework", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    ASSIGN_OR_RETURN(*resp, store_->GetFramework(c, req->id()));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::ListFrameworks(grpc::ServerContext* ctx,
                                                 const v1::ListFrameworksRequest* req,
                                                 v1::ListFrameworksResponse* resp) {
  return gate_->Run(ctx, "ListFrameworks", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(OptionalId("partnership_id", req->partnership_id()));
    const std::string& open_on = req->open_for_applications_on().value();
    Violations v;
    v.Date("open_for_applications_on", open_on, /*required=*/false);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(auto page, store_->ListFrameworks(c, req->partnership_id(), open_on,
                                                       req->page_size(), req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_frameworks(); });
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::UpdateFramework(grpc::ServerContext* ctx,
                                                  const v1::UpdateFrameworkRequest* req,
                                                  v1::Framework* resp) {
  return gate_->Run(ctx, "UpdateFramework", *req, [&](const Call& c) -> absl::Status {
    v1::Framework f = req->framework();
    domain::ApplyFrameworkDefaults(&f);
    RETURN_IF_ERROR(domain::ValidateFramework(f, /*create=*/false));
    ASSIGN_OR_RETURN(*resp, store_->UpdateFramework(c, f));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::CreateLot(grpc::ServerContext* ctx,
                                            const v1::CreateLotRequest* req, v1::Lot* resp) {
  return gate_->Run(ctx, "CreateLot", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(domain::ValidateLot(req->lot(), /*create=*/true));
    ASSIGN_OR_RETURN(*resp, store_->CreateLot(c, req->lot(), req->request_id()));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::GetLot(grpc::ServerContext* ctx, const v1::GetLotRequest* req,
                                         v1::Lot* resp) {
  return gate_->Run(ctx, "GetLot", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    ASSIGN_OR_RETURN(*resp, store_->GetLot(c, req->id()));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::ListLots(grpc::ServerContext* ctx, const v1::ListLotsRequest* req,
                                           v1::ListLotsResponse* resp) {
  return gate_->Run(ctx, "ListLots", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("framework_id", req->framework_id()));
    ASSIGN_OR_RETURN(auto page,
                     store_->ListLots(c, req->framework_id(), req->page_size(), req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_lots(); });
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::UpdateLot(grpc::ServerContext* ctx,
                                            const v1::UpdateLotRequest* req, v1::Lot* resp) {
  return gate_->Run(ctx, "UpdateLot", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(domain::ValidateLot(req->lot(), /*create=*/false));
    ASSIGN_OR_RETURN(*resp, store_->UpdateLot(c, req->lot()));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::ApplyForAdmission(grpc::ServerContext* ctx,
                                                    const v1::ApplyForAdmissionRequest* req,
                                                    v1::ApplyForAdmissionResponse* resp) {
  return gate_->Run(ctx, "ApplyForAdmission", *req, [&](const Call& c) -> absl::Status {
    Violations v;
    v.Id("framework_id", req->framework_id());
    if (req->lot_ids_size() == 0) v.Add("lot_ids", "needs at least one lot");
    std::set<std::string> seen;
    for (int i = 0; i < req->lot_ids_size(); ++i) {
      v.Id(absl::StrCat("lot_ids[", i, "]"), req->lot_ids(i));
      if (!seen.insert(req->lot_ids(i)).second) {
        v.Add(absl::StrCat("lot_ids[", i, "]"), "is listed twice");
      }
    }
    RETURN_IF_ERROR(v.ToStatus());
    std::vector<std::string> lots(req->lot_ids().begin(), req->lot_ids().end());
    ASSIGN_OR_RETURN(auto admissions,
                     store_->Apply(c, req->framework_id(), lots, req->request_id()));
    for (auto& a : admissions) *resp->add_admissions() = std::move(a);
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::GetAdmission(grpc::ServerContext* ctx,
                                               const v1::GetAdmissionRequest* req,
                                               v1::Admission* resp) {
  return gate_->Run(ctx, "GetAdmission", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    ASSIGN_OR_RETURN(*resp, store_->GetAdmission(c, req->id()));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::ListAdmissions(grpc::ServerContext* ctx,
                                                 const v1::ListAdmissionsRequest* req,
                                                 v1::ListAdmissionsResponse* resp) {
  return gate_->Run(ctx, "ListAdmissions", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(OptionalId("framework_id", req->framework_id()));
    RETURN_IF_ERROR(OptionalId("lot_id", req->lot_id()));
    RETURN_IF_ERROR(OptionalId("provider_id", req->provider_id()));
    AdmissionFilter f{req->framework_id(), req->lot_id(), req->provider_id(),
                      req->state() == v1::Admission::STATE_UNSPECIFIED
                          ? ""
                          : v1::Admission::State_Name(req->state())};
    ASSIGN_OR_RETURN(auto page, store_->ListAdmissions(c, f, req->page_size(), req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_admissions(); });
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::AdmitProvider(grpc::ServerContext* ctx,
                                                const v1::AdmitProviderRequest* req,
                                                v1::Admission* resp) {
  return gate_->Run(ctx, "AdmitProvider", *req, [&](const Call& c) -> absl::Status {
    std::string reason = req->reason().empty() ? "admitted" : req->reason();
    return Verb(store_, c, req->id(), req->etag(), domain::AdmissionVerb::kAdmit, reason, false,
                resp);
  });
}

grpc::Status RegistryServiceImpl::RejectApplication(grpc::ServerContext* ctx,
                                                    const v1::RejectApplicationRequest* req,
                                                    v1::Admission* resp) {
  return gate_->Run(ctx, "RejectApplication", *req, [&](const Call& c) -> absl::Status {
    return Verb(store_, c, req->id(), req->etag(), domain::AdmissionVerb::kReject, req->reason(),
                true, resp);
  });
}

grpc::Status RegistryServiceImpl::SuspendAdmission(grpc::ServerContext* ctx,
                                                   const v1::SuspendAdmissionRequest* req,
                                                   v1::Admission* resp) {
  return gate_->Run(ctx, "SuspendAdmission", *req, [&](const Call& c) -> absl::Status {
    Violations v;
    v.Id("id", req->id());
    // A service identity applying a rule acts on the current state (no etag).
    if (!c.principal.IsService()) v.Etag("etag", req->etag(), "admission");
    v.Merge(RequireReason(req->reason()));
    std::vector<ActionItemInput> plan =
        domain::ValidateActionPlan(req->action_plan(), dates::TodayInLondon(c.now), v);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(
        *resp, store_->TransitionAdmission(c, req->id(), req->etag(),
                                           domain::AdmissionVerb::kSuspend, req->reason(), plan));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::ReinstateAdmission(grpc::ServerContext* ctx,
                                                     const v1::ReinstateAdmissionRequest* req,
                                                     v1::Admission* resp) {
  return gate_->Run(ctx, "ReinstateAdmission", *req, [&](const Call& c) -> absl::Status {
    return Verb(store_, c, req->id(), req->etag(), domain::AdmissionVerb::kReinstate, req->reason(),
                true, resp);
  });
}

grpc::Status RegistryServiceImpl::TerminateAdmission(grpc::ServerContext* ctx,
                                                     const v1::TerminateAdmissionRequest* req,
                                                     v1::Admission* resp) {
  return gate_->Run(ctx, "TerminateAdmission", *req, [&](const Call& c) -> absl::Status {
    return Verb(store_, c, req->id(), req->etag(), domain::AdmissionVerb::kTerminate, req->reason(),
                true, resp);
  });
}

grpc::Status RegistryServiceImpl::AddActionPlanItems(grpc::ServerContext* ctx,
                                                     const v1::AddActionPlanItemsRequest* req,
                                                     v1::Admission* resp) {
  return gate_->Run(ctx, "AddActionPlanItems", *req, [&](const Call& c) -> absl::Status {
    Violations v;
    v.Id("id", req->id());
    v.Etag("etag", req->etag(), "admission");
    std::vector<ActionItemInput> plan =
        domain::ValidateActionPlan(req->action_plan(), dates::TodayInLondon(c.now), v);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(*resp, store_->AddActionItems(c, req->id(), req->etag(), plan));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::CompleteActionPlanItem(
    grpc::ServerContext* ctx, const v1::CompleteActionPlanItemRequest* req, v1::Admission* resp) {
  return gate_->Run(ctx, "CompleteActionPlanItem", *req, [&](const Call& c) -> absl::Status {
    Violations v;
    v.Id("id", req->id());
    v.Etag("etag", req->etag(), "admission");
    v.Id("item_id", req->item_id());
    auto day = v.Date("completed_date", req->completed_date().value());
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(*resp,
                     store_->CompleteActionItem(c, req->id(), req->etag(), req->item_id(), *day));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::GetProvider(grpc::ServerContext* ctx,
                                              const v1::GetProviderRequest* req,
                                              v1::Provider* resp) {
  return gate_->Run(ctx, "GetProvider", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    ASSIGN_OR_RETURN(*resp, store_->GetProvider(c, req->id()));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::UpdateProvider(grpc::ServerContext* ctx,
                                                 const v1::UpdateProviderRequest* req,
                                                 v1::Provider* resp) {
  return gate_->Run(ctx, "UpdateProvider", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(domain::ValidateProvider(req->provider()));
    RETURN_IF_ERROR(
        RequireOwnOrganisation(c.principal.organisation_id, req->provider().id(), "provider.id"));
    ASSIGN_OR_RETURN(*resp, store_->UpdateProvider(c, req->provider()));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::CreateComplianceDocument(
    grpc::ServerContext* ctx, const v1::CreateComplianceDocumentRequest* req,
    v1::ComplianceDocument* resp) {
  return gate_->Run(ctx, "CreateComplianceDocument", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireOwnOrganisation(c.principal.organisation_id,
                                           req->document().provider_id(), "document.provider_id"));
    RETURN_IF_ERROR(domain::ValidateDocument(req->document(), /*create=*/true));
    ASSIGN_OR_RETURN(*resp, store_->CreateDocument(c, req->document(), req->request_id()));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::GetComplianceDocument(grpc::ServerContext* ctx,
                                                        const v1::GetComplianceDocumentRequest* req,
                                                        v1::ComplianceDocument* resp) {
  return gate_->Run(ctx, "GetComplianceDocument", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    ASSIGN_OR_RETURN(*resp, store_->GetDocument(c, req->id()));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::ListComplianceDocuments(
    grpc::ServerContext* ctx, const v1::ListComplianceDocumentsRequest* req,
    v1::ListComplianceDocumentsResponse* resp) {
  return gate_->Run(ctx, "ListComplianceDocuments", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(OptionalId("provider_id", req->provider_id()));
    if (req->expiring_within_days() < 0 || req->expiring_within_days() > 3660) {
      return InvalidField("expiring_within_days", "must be from 0 to 3660");
    }
    DocumentFilter f{req->provider_id(),
                     req->kind() == v1::ComplianceDocument::KIND_UNSPECIFIED
                         ? ""
                         : v1::ComplianceDocument::Kind_Name(req->kind()),
                     req->expiring_within_days(), req->mandatory_only()};
    ASSIGN_OR_RETURN(auto page, store_->ListDocuments(c, f, req->page_size(), req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_documents(); });
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::UpdateComplianceDocument(
    grpc::ServerContext* ctx, const v1::UpdateComplianceDocumentRequest* req,
    v1::ComplianceDocument* resp) {
  return gate_->Run(ctx, "UpdateComplianceDocument", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireOwnOrganisation(c.principal.organisation_id,
                                           req->document().provider_id(), "document.provider_id"));
    RETURN_IF_ERROR(domain::ValidateDocument(req->document(), /*create=*/false));
    ASSIGN_OR_RETURN(*resp, store_->UpdateDocument(c, req->document()));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::CreateCapacityReturn(grpc::ServerContext* ctx,
                                                       const v1::CreateCapacityReturnRequest* req,
                                                       v1::CapacityReturn* resp) {
  return gate_->Run(ctx, "CreateCapacityReturn", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireOwnOrganisation(c.principal.organisation_id,
                                           req->capacity_return().provider_id(),
                                           "capacity_return.provider_id"));
    RETURN_IF_ERROR(
        domain::ValidateCapacityReturn(req->capacity_return(), dates::TodayInLondon(c.now)));
    ASSIGN_OR_RETURN(*resp,
                     store_->CreateCapacityReturn(c, req->capacity_return(), req->request_id()));
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::ListCapacityReturns(grpc::ServerContext* ctx,
                                                      const v1::ListCapacityReturnsRequest* req,
                                                      v1::ListCapacityReturnsResponse* resp) {
  return gate_->Run(ctx, "ListCapacityReturns", *req, [&](const Call& c) -> absl::Status {
    Violations v;
    v.Id("framework_id", req->framework_id(), /*required=*/false);
    v.Id("provider_id", req->provider_id(), /*required=*/false);
    v.Month("month", req->month(), /*required=*/false);
    RETURN_IF_ERROR(v.ToStatus());
    CapacityFilter f{req->framework_id(), req->provider_id(), req->month()};
    ASSIGN_OR_RETURN(auto page,
                     store_->ListCapacityReturns(c, f, req->page_size(), req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_capacity_returns(); });
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::ListLateCapacityReturns(
    grpc::ServerContext* ctx, const v1::ListLateCapacityReturnsRequest* req,
    v1::ListLateCapacityReturnsResponse* resp) {
  return gate_->Run(ctx, "ListLateCapacityReturns", *req, [&](const Call& c) -> absl::Status {
    Violations v;
    v.Id("framework_id", req->framework_id());
    auto month = v.Month("month", req->month());
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(auto page, store_->ListLateReturns(c, req->framework_id(), *month,
                                                        req->page_size(), req->page_token()));
    for (auto& l : page.items) {
      auto* out = resp->add_late_returns();
      out->set_provider_id(l.provider_id);
      out->set_display_name(l.display_name);
      out->set_month(req->month());
      out->mutable_due_date()->set_value(dates::FormatDay(l.due_date));
    }
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status RegistryServiceImpl::ListEligibleProviders(grpc::ServerContext* ctx,
                                                        const v1::ListEligibleProvidersRequest* req,
                                                        v1::ListEligibleProvidersResponse* resp) {
  return gate_->Run(ctx, "ListEligibleProviders", *req, [&](const Call& c) -> absl::Status {
    Violations v;
    v.Id("lot_id", req->lot_id());
    if (areas::Normalise(req->area()).empty()) v.Add("area", "is required");
    auto date = v.Date("date", req->date().value(), /*required=*/false);
    RETURN_IF_ERROR(v.ToStatus());
    const absl::CivilDay day = date ? *date : dates::TodayInLondon(c.now);
    ASSIGN_OR_RETURN(auto page, store_->ListEligible(c, req->lot_id(), req->area(), day,
                                                     req->page_size(), req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_providers(); });
    return absl::OkStatus();
  });
}

}  // namespace pdps::registry
