// Commissioning checks (commissioning.h): who commissions what, asked of the registry,
// who may see a package, and the registry's answers translated for the caller.
#include "services/workforce/api/commissioning.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api.h"
#include "common/dates.h"
#include "common/status.h"

namespace pdps::workforce {

absl::Status CommissioningCheck::RequireLotOf(const std::string& framework_id, const LotField& lot,
                                              const server::Call& c) const {
  if (lot.lot_id.empty()) return absl::OkStatus();
  auto context =
      registry_.GetLotContext(absl::AsciiStrToLower(lot.lot_id), dates::TodayInLondon(c.now));
  if (absl::IsNotFound(context.status())) {
    return InvalidField(lot.field, "no such lot");
  }
  if (!context.ok()) return context.status();
  if (context->framework.id() != absl::AsciiStrToLower(framework_id)) {
    return InvalidField(lot.field, "the lot belongs to another framework");
  }
  return absl::OkStatus();
}

absl::Status CommissioningCheck::Require(const server::Call& c, const std::string& action,
                                         const std::string& framework_id,
                                         const std::string& provider_id,
                                         const LotField& lot) const {
  const std::string framework = absl::AsciiStrToLower(framework_id);
  ASSIGN_OR_RETURN(auto members, registry_.FrameworkMembers(framework));
  if (members.count(absl::AsciiStrToLower(c.principal.organisation_id)) == 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("only commissioners of the partnership that owns the framework may ", action));
  }
  if (!provider_id.empty()) {
    ASSIGN_OR_RETURN(bool admitted,
                     registry_.HasAdmission(absl::AsciiStrToLower(provider_id), framework));
    if (!admitted) {
      return FailedPrecondition("the provider holds no admission on this framework", "NOT_ADMITTED",
                                Subject("framework", framework));
    }
  }
  return RequireLotOf(framework, lot, c);
}

absl::StatusOr<std::set<std::string>> CommissioningCheck::WorkingLots(
    const std::string& provider_id) const {
  return registry_.WorkingLots(absl::AsciiStrToLower(provider_id));
}

absl::Status CommissioningCheck::RequireFramework(const std::string& framework_id) const {
  return registry_.FrameworkMembers(absl::AsciiStrToLower(framework_id)).status();
}

absl::Status CommissioningCheck::RequireAdmittedProvider(const server::Call& c,
                                                         const std::string& framework_id,
                                                         const LotField& lot) const {
  const std::string framework = absl::AsciiStrToLower(framework_id);
  ASSIGN_OR_RETURN(
      bool admitted,
      registry_.HasAdmission(absl::AsciiStrToLower(c.principal.organisation_id), framework));
  if (!admitted) {
    return FailedPrecondition(
        "your organisation holds no admission on this framework; complaints are recorded "
        "against a framework you provide on",
        "NOT_ADMITTED", Subject("framework", framework));
  }
  return RequireLotOf(framework, lot, c);
}

absl::Status CommissioningCheck::RequireWorkforceReader(const server::Call& c,
                                                        const std::string& what,
                                                        const std::string& lot_id,
                                                        const std::string& provider_id) const {
  if (c.principal.IsService()) return absl::OkStatus();
  if (provider_id == absl::AsciiStrToLower(c.principal.organisation_id)) return absl::OkStatus();
  if (!c.principal.Has(auth::Role::kCommissioner)) {
    // A provider naming another (the commissioner case needs the registry, below).
    return api::RequireOwnOrganisation(c.principal.organisation_id, provider_id, "provider_id");
  }
  ASSIGN_OR_RETURN(auto lot, registry_.GetLotContext(absl::AsciiStrToLower(lot_id),
                                                     dates::TodayInLondon(c.now)));
  // Another tenant's record, as everywhere: NOT_FOUND, one answer whether the lot is
  // another partnership's or the provider is not admitted to it, so that neither says
  // more than the other.
  const bool member = lot.members.count(absl::AsciiStrToLower(c.principal.organisation_id)) > 0;
  bool admitted = false;
  if (member) {
    ASSIGN_OR_RETURN(
        admitted, registry_.HasAdmission(absl::AsciiStrToLower(provider_id), lot.framework.id()));
  }
  if (!admitted) {
    return absl::NotFoundError(
        absl::StrCat("no ", what, " of provider ", provider_id, " on lot ", lot_id,
                     " that you may see: commissioners see the ", what,
                     " of providers admitted to their own partnership's frameworks"));
  }
  return absl::OkStatus();
}

absl::Status CommissioningCheck::NoMatrixOrUnknownLot(const server::Call& c,
                                                      const std::string& lot_id,
                                                      absl::Status status) const {
  if (!absl::IsFailedPrecondition(status) || lot_id.empty()) return status;
  auto lot = registry_.GetLotContext(absl::AsciiStrToLower(lot_id), dates::TodayInLondon(c.now));
  if (!lot.ok()) return lot.status();  // NOT_FOUND for an unknown lot, or UNAVAILABLE
  return status;
}

absl::Status CommissioningCheck::RequirePackageParty(
    const server::Call& c, const pdps::workforce::v1::Package& package) const {
  if (c.principal.IsService()) return absl::OkStatus();
  const std::string org = absl::AsciiStrToLower(c.principal.organisation_id);
  if (package.provider_id() == org) return absl::OkStatus();
  if (!c.principal.IsOfficer()) return NotFound("package", package.id());
  absl::Status s = Require(c, "see its packages", package.framework_id());
  if (absl::IsPermissionDenied(s)) return NotFound("package", package.id());
  RETURN_IF_ERROR(s);
  // A commissioner of the partnership sees a package its organisation funds; brokerage
  // officers, who placed it, see every package of the partnership.
  if (c.principal.Has(auth::Role::kBrokerageOfficer) || package.funder_organisation_ids().empty()) {
    return absl::OkStatus();
  }
  for (const auto& funder : package.funder_organisation_ids()) {
    if (funder == org) return absl::OkStatus();
  }
  return NotFound("package", package.id());
}

}  // namespace pdps::workforce
