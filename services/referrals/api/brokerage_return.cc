// The quarterly brokerage return (GetBrokerageReturn, decision 66): who may see whose,
// asked of the registry as workforce asks for its returns (decision 0041), then the
// offers counted by the domain.
#include "services/referrals/domain/brokerage_return.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api.h"
#include "common/dates.h"
#include "common/status.h"
#include "services/referrals/api/brokerage.h"

namespace pdps::referrals {
namespace {

namespace rv1 = ::pdps::registry::v1;

std::vector<domain::DatedTarget> Targets(
    const google::protobuf::RepeatedPtrField<rv1::ResponseTarget>& targets) {
  std::vector<domain::DatedTarget> out;
  for (const auto& t : targets) {
    // The registry validated them; a day it could not have stored is passed over.
    if (auto from = dates::ParseDay(t.effective_from().value())) {
      out.push_back({*from, t.percent()});
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<v1::BrokerageReturn> Brokerage::BrokerageReturn(
    const Call& c, const v1::GetBrokerageReturnRequest& req) {
  const bool officer = c.principal.IsOfficer();
  Violations v;
  auto quarter = v.Quarter("quarter", req.quarter(), dates::TodayInLondon(c.now));
  v.Id("framework_id", req.framework_id());
  v.Id("lot_id", req.lot_id(), false);
  v.Id("provider_id", req.provider_id(), false);
  if (officer && req.provider_id().empty()) {
    v.Add("provider_id", "is required unless you ask as a provider for your own return");
  }
  if (!officer) {
    RETURN_IF_ERROR(
        api::RequireOwnOrganisation(c.principal.organisation_id, req.provider_id(), "provider_id"));
  }
  RETURN_IF_ERROR(v.ToStatus());

  const std::string own = absl::AsciiStrToLower(c.principal.organisation_id);
  const std::string provider =
      req.provider_id().empty() ? own : absl::AsciiStrToLower(req.provider_id());
  const std::string framework_id = absl::AsciiStrToLower(req.framework_id());
  const std::string lot_id = absl::AsciiStrToLower(req.lot_id());
  // Another partnership's framework, a provider not on it, or no such framework: one
  // answer, so that none says more than the others (as workforce's returns, decision 41).
  const absl::Status hidden = absl::NotFoundError(absl::StrCat(
      "no brokerage return of provider ", provider, " on framework ", framework_id,
      " that you may see: officers see the returns of providers admitted to their own "
      "partnership's frameworks, providers their own on frameworks they are admitted to"));
  auto framework = registry_->GetFrameworkContext(framework_id);
  if (absl::IsNotFound(framework.status())) return hidden;
  RETURN_IF_ERROR(framework.status());
  if (officer && framework->members.count(own) == 0) return hidden;
  ASSIGN_OR_RETURN(bool admitted, registry_->HasAdmission(provider, framework_id));
  if (!admitted) return hidden;
  if (!lot_id.empty()) {
    auto lot = registry_->GetLotContext(lot_id, dates::TodayInLondon(c.now));
    if (absl::IsNotFound(lot.status())) return InvalidField("lot_id", "no such lot");
    RETURN_IF_ERROR(lot.status());
    if (lot->lot.framework_id() != framework_id) {
      return InvalidField("lot_id", "the lot belongs to another framework");
    }
  }
  // Officers read the offers under row-level security through the local copy of the
  // partnership's members: bring it up to what the registry has just said.
  if (officer) {
    RETURN_IF_ERROR(store_->SyncPartnership(framework->framework.partnership_id(),
                                            framework->members, c.deadline));
  }
  const dates::Period period = quarter->period;
  ASSIGN_OR_RETURN(Store::ReturnFacts facts,
                   store_->BrokerageReturnFacts(c, provider, framework_id, lot_id,
                                                dates::StartOfDay(period.first),
                                                dates::StartOfDay(period.last + 1)));
  const auto& call_off = framework->framework.call_off();
  v1::BrokerageReturn out = domain::ComputeBrokerageReturn(
      facts.offers, facts.awards,
      domain::TargetOn(Targets(call_off.answered_within_24_hours_targets()), period.last),
      domain::TargetOn(Targets(call_off.answered_within_4_hours_targets()), period.last));
  out.set_provider_id(provider);
  out.set_framework_id(framework_id);
  out.set_lot_id(lot_id);
  out.set_quarter(dates::FormatQuarter(quarter->quarter));
  out.mutable_period_start()->set_value(dates::FormatDay(period.first));
  out.mutable_period_end()->set_value(dates::FormatDay(period.last));
  return out;
}

}  // namespace pdps::referrals
