// gRPC handlers of pdps.registry.v1.RegistryService: validate, call the store, map.
#pragma once

#include "common/server.h"
#include "pdps/registry/v1/registry_service.grpc.pb.h"
#include "services/registry/store/store.h"

namespace pdps::registry {

class RegistryServiceImpl final : public v1::RegistryService::Service {
 public:
  RegistryServiceImpl(const server::Gate* gate, Store* store) : gate_(gate), store_(store) {}

#define PDPS_RPC(Name, Req, Resp) \
  grpc::Status Name(grpc::ServerContext* ctx, const v1::Req* req, v1::Resp* resp) override;
  PDPS_RPC(CreateOrganisation, CreateOrganisationRequest, Organisation)
  PDPS_RPC(GetOrganisation, GetOrganisationRequest, Organisation)
  PDPS_RPC(ListOrganisations, ListOrganisationsRequest, ListOrganisationsResponse)
  PDPS_RPC(CreatePartnership, CreatePartnershipRequest, Partnership)
  PDPS_RPC(GetPartnership, GetPartnershipRequest, Partnership)
  PDPS_RPC(ListPartnerships, ListPartnershipsRequest, ListPartnershipsResponse)
  PDPS_RPC(CreateFramework, CreateFrameworkRequest, Framework)
  PDPS_RPC(GetFramework, GetFrameworkRequest, Framework)
  PDPS_RPC(ListFrameworks, ListFrameworksRequest, ListFrameworksResponse)
  PDPS_RPC(UpdateFramework, UpdateFrameworkRequest, Framework)
  PDPS_RPC(CreateLot, CreateLotRequest, Lot)
  PDPS_RPC(GetLot, GetLotRequest, Lot)
  PDPS_RPC(ListLots, ListLotsRequest, ListLotsResponse)
  PDPS_RPC(UpdateLot, UpdateLotRequest, Lot)
  PDPS_RPC(ApplyForAdmission, ApplyForAdmissionRequest, ApplyForAdmissionResponse)
  PDPS_RPC(GetAdmission, GetAdmissionRequest, Admission)
  PDPS_RPC(ListAdmissions, ListAdmissionsRequest, ListAdmissionsResponse)
  PDPS_RPC(AdmitProvider, AdmitProviderRequest, Admission)
  PDPS_RPC(RejectApplication, RejectApplicationRequest, Admission)
  PDPS_RPC(SuspendAdmission, SuspendAdmissionRequest, Admission)
  PDPS_RPC(ReinstateAdmission, ReinstateAdmissionRequest, Admission)
  PDPS_RPC(TerminateAdmission, TerminateAdmissionRequest, Admission)
  PDPS_RPC(AddActionPlanItems, AddActionPlanItemsRequest, Admission)
  PDPS_RPC(CompleteActionPlanItem, CompleteActionPlanItemRequest, Admission)
  PDPS_RPC(GetProvider, GetProviderRequest, Provider)
  PDPS_RPC(UpdateProvider, UpdateProviderRequest, Provider)
  PDPS_RPC(CreateComplianceDocument, CreateComplianceDocumentRequest, ComplianceDocument)
  PDPS_RPC(GetComplianceDocument, GetComplianceDocumentRequest, ComplianceDocument)
  PDPS_RPC(ListComplianceDocuments, ListComplianceDocumentsRequest,
           ListComplianceDocumentsResponse)
  PDPS_RPC(UpdateComplianceDocument, UpdateComplianceDocumentRequest, ComplianceDocument)
  PDPS_RPC(CreateCapacityReturn, CreateCapacityReturnRequest, CapacityReturn)
  PDPS_RPC(ListCapacityReturns, ListCapacityReturnsRequest, ListCapacityReturnsResponse)
  PDPS_RPC(ListLateCapacityReturns, ListLateCapacityReturnsRequest,
           ListLateCapacityReturnsResponse)
  PDPS_RPC(ListEligibleProviders, ListEligibleProvidersRequest, ListEligibleProvidersResponse)
#undef PDPS_RPC

 private:
  const server::Gate* gate_;
  Store* store_;
};

}  // namespace pdps::registry
