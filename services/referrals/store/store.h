// The referrals service's persistence: each method is one transaction as the calling
// organisation (row-level security decides what it may see), applying the call-off
// engine (domain/calloff.h) and appending events to the outbox in the same transaction.
//
// A provider's answer is read and locked as the provider; its consequences for the
// referral and other providers' offers are then applied with the service's own authority
// (Elevate), because a provider may never write those rows itself.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/calendar/calendar.h"
#include "common/db.h"
#include "common/events.h"
#include "common/idempotency.h"
#include "common/paging.h"
#include "common/server.h"
#include "pdps/referrals/v1/referrals.pb.h"
#include "services/referrals/domain/brokerage_return.h"
#include "services/referrals/domain/calloff.h"
#include "services/registry/client/registry_client.h"

namespace pdps::referrals {

namespace v1 = ::pdps::referrals::v1;
using ::pdps::registry::EligibleProvider;
using ::pdps::registry::GrpcRegistryClient;
using ::pdps::registry::LotContext;
using ::pdps::registry::RegistryClient;

template <typename T>
using Listed = paging::Listed<T>;

struct ReferralFilter {
  std::string state, lot_id, framework_id;
};

// What the registry said about a referral's lot, framework and partnership, taken when
// it is raised.
struct RaiseInput {
  std::string partnership_id;
  std::string framework_id;
  std::vector<std::string> lot_competencies;
  int age_years = 0;
};

// A new call-off round, prepared from the registry before the transaction.
struct RoundInput {
  domain::Verb verb = domain::Verb::kOpen;  // kOpen or kReopen
  domain::CallOff call_off;  // stored with the round, so that a later change leaves it be
  std::string office_hours;
  std::vector<EligibleProvider> eligible;
  int64_t maximum_rate_pence = 0;
  std::vector<std::string> questions;
  std::string reason;  // re-open only
};

struct AwardInput {
  std::string offer_id;     // a proposal or bid
  std::string provider_id;  // a direct award
  bool provider_active = false;  // direct award: the registry's answer
  std::string rationale;
};

using domain::AnswerKind;
struct AnswerInput {
  AnswerKind kind = AnswerKind::kAccept;
  std::string etag;  // optional
  v1::DeclineReason reason = v1::DECLINE_REASON_UNSPECIFIED;
  std::string rationale;
  v1::Proposal proposal;
  bool worker_checked = false;  // the proposal's staff_id passed the workforce gate
  v1::Bid bid;
};

class Store {
 public:
  using Call = server::Call;

  Store(db::Pool* pool, calendar::HolidayCalendar holidays);

  // Replaces the local copy of a partnership's members (as the service itself).
  absl::Status SyncPartnership(const std::string& partnership_id,
                               const std::set<std::string>& members, absl::Time deadline);

  absl::StatusOr<v1::Referral> CreateReferral(const Call& c, const v1::Referral& r,
                                              const v1::PersonDetails& person,
                                              const RaiseInput& in, const std::string& request_id);
  // Shaped for the caller: officers see everything, providers the pen portrait. One
  // statement; no identifying details, so nothing is written to the access log.
  absl::StatusOr<v1::Referral> GetReferral(const Call& c, const std::string& id);
  absl::StatusOr<Listed<v1::Referral>> ListReferrals(const Call& c, const ReferralFilter& f,
                                                     int page_size, const std::string& page_token);
  // `lot` as the registry has it now: the person's age on the (new) start date must be
  // in its range, from `person` or else the stored date of birth (INVALID_ARGUMENT on
  // person.date_of_birth or referral.start_date).
  absl::StatusOr<v1::Referral> UpdateReferral(const Call& c, const v1::Referral& r,
                                              const v1::PersonDetails* person, int age_years,
                                              const pdps::registry::v1::Lot& lot);

  absl::StatusOr<v1::Referral> StartRound(const Call& c, const std::string& id,
                                          const std::string& etag, const RoundInput& in);
  absl::StatusOr<v1::Referral> Award(const Call& c, const std::string& id, const std::string& etag,
                                     const AwardInput& in);
  absl::StatusOr<v1::Referral> Withdraw(const Call& c, const std::string& id,
                                        const std::string& etag, const std::string& reason);

  // Whether `date_of_birth` differs from the stored one, read to decide whether the
  // lot's age range must be asked for; the stored date is never returned, so this is no
  // access to log (as in UpdateReferral).
  absl::StatusOr<bool> DateOfBirthChanges(const Call& c, const std::string& referral_id,
                                          const std::string& date_of_birth);
  // Replaces the person's details (any state but WITHDRAWN) and, in the same transaction,
  // logs an UPDATE with purpose "update: <reason>", bumps the referral's etag, adds a
  // history entry without a state change and, if AWARDED, publishes PersonDetailsChanged.
  // `date_of_birth_changes` is what DateOfBirthChanges said when the brokerage checked
  // the lot's age range: the etag proves nothing was written since, and a changed date
  // recomputes age_years (on the day the referral was raised).
  absl::StatusOr<v1::Referral> UpdatePerson(const Call& c, const std::string& referral_id,
                                            const std::string& etag,
                                            const v1::PersonDetails& person,
                                            const std::string& reason,
                                            bool date_of_birth_changes);

  // Reads the person's details and records the read, in one transaction.
  absl::StatusOr<v1::PersonDetails> ReadPerson(const Call& c, const std::string& referral_id,
                                               const std::string& purpose);
  absl::StatusOr<Listed<v1::PersonDetailsAccess>> ListAccess(const Call& c,
                                                            const std::string& referral_id,
                                                            int page_size,
                                                            const std::string& page_token);

  absl::StatusOr<v1::Offer> GetOffer(const Call& c, const std::string& id);
  // referral_id empty: the caller's own offers (provider inbox).
  absl::StatusOr<Listed<v1::Offer>> ListOffers(const Call& c, const std::string& referral_id,
                                               bool live_only, int page_size,
                                               const std::string& page_token);
  absl::StatusOr<v1::Offer> Answer(const Call& c, const std::string& offer_id,
                                   const AnswerInput& in);
  absl::StatusOr<v1::Offer> ReviewProposal(const Call& c, const std::string& offer_id,
                                           const std::string& etag, bool shortlisted,
                                           const std::string& family_view, bool met_worker);
  absl::StatusOr<v1::Offer> EvaluateBid(const Call& c, const std::string& offer_id,
                                        const std::string& etag, const std::vector<int>& marks);

  // The brokerage return's facts for `provider_id` on `framework_id` (and `lot_id`, if not
  // empty) in [from, to), read as the caller in one round trip: the offers made to it,
  // and the referrals awarded to it by any method.
  struct ReturnFacts {
    std::vector<domain::OfferFacts> offers;
    std::vector<domain::AwardFacts> awards;
  };
  absl::StatusOr<ReturnFacts> BrokerageReturnFacts(const Call& c, const std::string& provider_id,
                                                   const std::string& framework_id,
                                                   const std::string& lot_id, absl::Time from,
                                                   absl::Time to);

  // The scheduler: advances every referral due at `now` (at most `limit` tries), one
  // transaction each, claimed with SKIP LOCKED so that replicas share the work and nothing
  // runs twice. A referral whose step fails is rolled back, recorded (step_failures,
  // step_error) and left for domain::StepRetryDelay while the sweep goes on with the
  // rest; an error is returned only when nothing can go on (the database unavailable, the
  // sweep out of time, the claim itself failing).
  struct Sweep {
    int advanced = 0;  // steps applied
    int failed = 0;    // referrals whose step failed and now wait
    // For each step applied, how long after its deadline it ran (`now` − next_due_at):
    // up to the scheduler's interval normally, more after an outage of every replica.
    std::vector<absl::Duration> lags;
  };
  absl::StatusOr<Sweep> RunDue(absl::Time now, int limit, absl::Time deadline);

  // The registry feed: a suspended or terminated admission removes the provider from live
  // rounds on that lot and withdraws its live offers; the referrals are due at once.
  absl::Status ApplyAdmissionEvent(db::Tx& tx, const pdps::common::v1::Event& e, absl::Time now);

  // Test hook: runs inside the scheduler's transaction after a step was applied, before
  // COMMIT; an error rolls the step back as a crash would.
  void SetSchedulerFaultForTest(std::function<absl::Status(db::Tx&, const std::string&)> f) {
    fault_ = std::move(f);
  }

  const events::Outbox& outbox() const { return outbox_; }

 private:
  struct Row;
  absl::StatusOr<Row> LockReferral(db::Tx& tx, const std::string& id);
  absl::Status ApplyStep(db::Tx& tx, Row& row, absl::Time now);
  absl::Status RecordStepFailure(const std::string& id, absl::Time now, const absl::Status& error,
                                 absl::Time deadline);
  absl::StatusOr<v1::Referral> ViewFor(db::Tx& tx, const Call& c, const std::string& id);
  absl::Status ShapeOffers(db::Tx& tx, const Call& c, std::vector<v1::Offer*> offers,
                           bool with_referral);
  calendar::WorkingTime WorkingTimeFor(const std::string& office_hours) const;

  db::Pool* pool_;
  calendar::HolidayCalendar holidays_;
  events::Outbox outbox_;
  idempotency::Ledger ledger_;
  std::function<absl::Status(db::Tx&, const std::string&)> fault_;
};

}  // namespace pdps::referrals
