// Registry client.
#include "services/registry/client/registry_client.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/peer.h"
#include "common/status.h"

namespace pdps::registry {
namespace {

namespace rv1 = ::pdps::registry::v1;

absl::Status FromRegistry(const grpc::Status& st, const char* what, const std::string& id) {
  return peer::FromPeer(st, "provider registry", what, id);
}

}  // namespace

GrpcRegistryClient::GrpcRegistryClient(std::shared_ptr<grpc::Channel> channel,
                                       auth::ServiceTokenSource* tokens, absl::Duration timeout)
    : stub_(rv1::RegistryService::NewStub(std::move(channel))),
      tokens_(tokens),
      timeout_(timeout) {}

void GrpcRegistryClient::Prepare(grpc::ClientContext* ctx) const {
  peer::Prepare(ctx, tokens_, timeout_);
}

absl::StatusOr<LotContext> GrpcRegistryClient::GetLotContext(const std::string& lot_id,
                                                             absl::CivilDay day) {
  LotContext out;
  {
    rv1::GetLotRequest req;
    req.set_id(lot_id);
    grpc::ClientContext ctx;
    Prepare(&ctx);
    RETURN_IF_ERROR(FromRegistry(stub_->GetLot(&ctx, req, &out.lot), "lot", lot_id));
  }
  {
    rv1::GetFrameworkRequest req;
    req.set_id(out.lot.framework_id());
    grpc::ClientContext ctx;
    Prepare(&ctx);
    RETURN_IF_ERROR(FromRegistry(stub_->GetFramework(&ctx, req, &out.framework), "framework",
                                 out.lot.framework_id()));
  }
  ASSIGN_OR_RETURN(out.members, PartnershipMembers(out.framework.partnership_id()));
  std::string best_from;
  for (const auto& price : out.lot.prices()) {
    if (price.kind() != rv1::LotPrice::MAXIMUM_PRICE) continue;
    auto from = dates::ParseDay(price.effective_from().value());
    if (!from || *from > day) continue;
    if (price.effective_from().value() >= best_from) {
      best_from = price.effective_from().value();
      out.maximum_hourly_rate_pence = price.hourly_rate().pence();
    }
  }
  return out;
}

absl::StatusOr<std::vector<EligibleProvider>> GrpcRegistryClient::ListEligible(
    const std::string& lot_id, const std::string& area, absl::CivilDay day) {
  std::vector<EligibleProvider> out;
  std::string token;
  do {
    rv1::ListEligibleProvidersRequest req;
    req.set_lot_id(lot_id);
    req.set_area(area);
    req.mutable_date()->set_value(dates::FormatDay(day));
    req.set_page_size(500);
    req.set_page_token(token);
    rv1::ListEligibleProvidersResponse resp;
    grpc::ClientContext ctx;
    Prepare(&ctx);
    RETURN_IF_ERROR(FromRegistry(stub_->ListEligibleProviders(&ctx, req, &resp), "lot", lot_id));
    for (const auto& p : resp.providers()) {
      out.push_back({p.provider_id(), p.admission_id(), p.estimated_weekly_hours_available()});
    }
    token = resp.next_page_token();
  } while (!token.empty());
  return out;
}

absl::StatusOr<std::string> GrpcRegistryClient::ActiveAdmission(const std::string& provider_id,
                                                                const std::string& lot_id) {
  rv1::ListAdmissionsRequest req;
  req.set_lot_id(lot_id);
  req.set_provider_id(provider_id);
  req.set_state(rv1::Admission::ACTIVE);
  req.set_page_size(1);
  rv1::ListAdmissionsResponse resp;
  grpc::ClientContext ctx;
  Prepare(&ctx);
  RETURN_IF_ERROR(FromRegistry(stub_->ListAdmissions(&ctx, req, &resp), "lot", lot_id));
  return resp.admissions().empty() ? std::string() : resp.admissions(0).id();
}

absl::StatusOr<std::set<std::string>> GrpcRegistryClient::PartnershipMembers(
    const std::string& partnership_id) {
  rv1::GetPartnershipRequest req;
  req.set_id(partnership_id);
  rv1::Partnership p;
  grpc::ClientContext ctx;
  Prepare(&ctx);
  RETURN_IF_ERROR(
      FromRegistry(stub_->GetPartnership(&ctx, req, &p), "partnership", partnership_id));
  std::set<std::string> out;
  for (const auto& m : p.member_organisation_ids()) out.insert(absl::AsciiStrToLower(m));
  return out;
}

absl::StatusOr<FrameworkContext> GrpcRegistryClient::GetFrameworkContext(
    const std::string& framework_id) {
  FrameworkContext out;
  rv1::GetFrameworkRequest req;
  req.set_id(framework_id);
  grpc::ClientContext ctx;
  Prepare(&ctx);
  RETURN_IF_ERROR(
      FromRegistry(stub_->GetFramework(&ctx, req, &out.framework), "framework", framework_id));
  ASSIGN_OR_RETURN(out.members, PartnershipMembers(out.framework.partnership_id()));
  return out;
}

absl::StatusOr<std::set<std::string>> GrpcRegistryClient::FrameworkMembers(
    const std::string& framework_id) {
  ASSIGN_OR_RETURN(FrameworkContext f, GetFrameworkContext(framework_id));
  return std::move(f.members);
}

absl::StatusOr<bool> GrpcRegistryClient::HasAdmission(const std::string& provider_id,
                                                      const std::string& framework_id) {
  rv1::ListAdmissionsRequest req;
  req.set_framework_id(framework_id);
  req.set_provider_id(provider_id);
  req.set_page_size(1);
  rv1::ListAdmissionsResponse resp;
  grpc::ClientContext ctx;
  Prepare(&ctx);
  RETURN_IF_ERROR(
      FromRegistry(stub_->ListAdmissions(&ctx, req, &resp), "framework", framework_id));
  return !resp.admissions().empty();
}

absl::Status GrpcRegistryClient::EachAdmission(
    rv1::ListAdmissionsRequest req, const char* what, const std::string& id,
    const std::function<void(const rv1::Admission&)>& each) {
  req.set_page_size(500);
  do {
    rv1::ListAdmissionsResponse resp;
    grpc::ClientContext ctx;
    Prepare(&ctx);
    RETURN_IF_ERROR(FromRegistry(stub_->ListAdmissions(&ctx, req, &resp), what, id));
    for (const auto& a : resp.admissions()) each(a);
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ActiveOnLot>> GrpcRegistryClient::ActiveAdmissions(
    const std::string& framework_id) {
  std::vector<ActiveOnLot> out;
  rv1::ListAdmissionsRequest req;
  req.set_framework_id(framework_id);
  req.set_state(rv1::Admission::ACTIVE);
  RETURN_IF_ERROR(EachAdmission(req, "framework", framework_id, [&](const rv1::Admission& a) {
    out.push_back({absl::AsciiStrToLower(a.provider_id()), absl::AsciiStrToLower(a.lot_id())});
  }));
  return out;
}

absl::StatusOr<std::set<std::string>> GrpcRegistryClient::WorkingLots(
    const std::string& provider_id) {
  std::set<std::string> out;
  rv1::ListAdmissionsRequest req;
  req.set_provider_id(provider_id);
  RETURN_IF_ERROR(EachAdmission(req, "provider", provider_id, [&](const rv1::Admission& a) {
    if (a.state() == rv1::Admission::ACTIVE || a.state() == rv1::Admission::SUSPENDED) {
      out.insert(absl::AsciiStrToLower(a.lot_id()));
    }
  }));
  return out;
}

}  // namespace pdps::registry
