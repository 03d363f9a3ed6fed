// What providers see of a referral (the pen portrait, as referrals.proto marks it) and
// of their proposals.
#include "services/referrals/domain/visibility.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "services/referrals/domain/test_referral.h"

namespace pdps::referrals::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A referral with every field a provider might or might not see.
v1::Referral FullReferral() {
  v1::Referral r = GoodReferral();
  r.set_id("eeeeeeee-5555-4555-8555-555555555555");
  r.set_framework_id("ffffffff-6666-4666-8666-666666666666");
  r.set_partnership_id("99999999-7777-4777-8777-777777777777");
  r.set_state(v1::Referral::AWARDED);
  r.set_urgency(v1::Referral::EMERGENCY);
  r.set_communication_needs("Makaton");
  r.set_special_requirements("Two carers for hoisting");
  r.mutable_end_date()->set_value("2027-07-01");
  r.mutable_preferences()->set_worker_gender("female");
  r.mutable_preferences()->add_languages("Polish");
  r.mutable_preferences()->set_religion("Catholic");
  r.set_age_years(11);
  r.add_extra_competencies("peg_feeding");
  r.set_care_plan_extract("Section 4: personal care at home ...");
  r.set_method(v1::MINI_COMPETITION);
  r.set_round(2);
  r.mutable_stage_deadline()->set_seconds(1780000000);
  r.mutable_held_until()->set_seconds(1779990000);
  r.mutable_maximum_hourly_rate()->set_pence(2500);
  r.add_quality_questions("How will you keep continuity of workers?");
  r.set_price_weight_percent(60);
  r.set_quality_weight_percent(40);
  r.mutable_award()->set_provider_id("12121212-8888-4888-8888-888888888888");
  r.mutable_award()->set_offer_id("13131313-9999-4999-8999-999999999999");
  r.mutable_award()->set_rationale("best score");
  r.mutable_award()->set_award_user("officer-1");
  r.mutable_award()->mutable_hourly_rate()->set_pence(2300);
  r.set_state_reason("awarded to the best bid");
  r.add_history()->set_to_state("OPEN");
  r.mutable_audit()->set_create_user("officer-1");
  r.set_etag("7");
  return r;
}

void ExpectPenPortraitFields(const v1::Referral& pen, const v1::Referral& full) {
  EXPECT_EQ(pen.id(), full.id());
  EXPECT_EQ(pen.lot_id(), full.lot_id());
  EXPECT_EQ(pen.framework_id(), full.framework_id());
  EXPECT_EQ(pen.state(), full.state());
  EXPECT_EQ(pen.urgency(), full.urgency());
  EXPECT_EQ(pen.area(), "SOUTHWARK");
  EXPECT_EQ(pen.planned_weekly_hours(), 10.5);
  EXPECT_EQ(pen.session_pattern(), full.session_pattern());
  EXPECT_THAT(pen.outcomes(), ElementsAre("personal care"));
  EXPECT_EQ(pen.needs_summary(), full.needs_summary());
  EXPECT_EQ(pen.communication_needs(), "Makaton");
  EXPECT_EQ(pen.special_requirements(), "Two carers for hoisting");
  EXPECT_EQ(pen.start_date().value(), "2026-07-01");
  EXPECT_EQ(pen.end_date().value(), "2027-07-01");
  EXPECT_EQ(pen.preferences().worker_gender(), "female");
  EXPECT_THAT(pen.preferences().languages(), ElementsAre("Polish"));
  EXPECT_EQ(pen.preferences().religion(), "Catholic");
  EXPECT_EQ(pen.age_years(), 11);
  EXPECT_THAT(pen.extra_competencies(), ElementsAre("peg_feeding"));
  EXPECT_EQ(pen.method(), v1::MINI_COMPETITION);
  EXPECT_EQ(pen.round(), 2);
  EXPECT_EQ(pen.stage_deadline().seconds(), 1780000000);
  EXPECT_EQ(pen.maximum_hourly_rate().pence(), 2500);
  EXPECT_THAT(pen.quality_questions(), ElementsAre("How will you keep continuity of workers?"));
  EXPECT_EQ(pen.price_weight_percent(), 60);
  EXPECT_EQ(pen.quality_weight_percent(), 40);
  EXPECT_EQ(pen.etag(), "7");
  // Never in a provider's view, awarded or not.
  EXPECT_TRUE(pen.partnership_id().empty());
  EXPECT_THAT(pen.funding(), IsEmpty());
  EXPECT_THAT(pen.history(), IsEmpty());
  EXPECT_FALSE(pen.has_audit());
  EXPECT_TRUE(pen.state_reason().empty());
  EXPECT_FALSE(pen.has_held_until());
}

TEST(Proposal, TheProviderSeesWhereItStandsNotWhatTheFamilySaid) {
  v1::Proposal p;
  p.add_matched_competencies("gastrostomy");
  p.mutable_worker_profile()->set_role("Support worker");
  p.set_notes("Can start on Monday");
  p.set_shortlisted(true);
  p.set_family_view("Mrs Okafor says Jayden took to Grace at once");
  p.set_family_met_worker(true);
  p.set_worker_checked(true);
  p.set_reviewed_by_user("ann");
  p.set_reviewed_by_organisation("council");
  p.mutable_reviewed_at()->set_seconds(1780000000);
  v1::Proposal seen = p;
  HideOfficersReview(&seen);
  EXPECT_TRUE(seen.family_view().empty());
  EXPECT_TRUE(seen.reviewed_by_user().empty());
  EXPECT_TRUE(seen.reviewed_by_organisation().empty());
  // Everything else as it was.
  seen.set_family_view(p.family_view());
  seen.set_reviewed_by_user(p.reviewed_by_user());
  seen.set_reviewed_by_organisation(p.reviewed_by_organisation());
  EXPECT_EQ(seen.SerializeAsString(), p.SerializeAsString());
}

TEST(PenPortrait, OfferedProviderSeesNeedsNotIdentityOrMoney) {
  const v1::Referral full = FullReferral();
  v1::Referral pen = PenPortrait(full, false);
  ExpectPenPortraitFields(pen, full);
  EXPECT_TRUE(pen.care_plan_extract().empty());
  EXPECT_FALSE(pen.has_award());
  EXPECT_FALSE(pen.direct_payment());
}

TEST(PenPortrait, AwardedProviderAlsoSeesAwardAndExtract) {
  v1::Referral full = FullReferral();
  v1::Referral pen = PenPortrait(full, true);
  ExpectPenPortraitFields(pen, full);
  EXPECT_EQ(pen.care_plan_extract(), full.care_plan_extract());
  ASSERT_TRUE(pen.has_award());
  EXPECT_EQ(pen.award().provider_id(), full.award().provider_id());
  EXPECT_EQ(pen.award().offer_id(), full.award().offer_id());
  EXPECT_EQ(pen.award().hourly_rate().pence(), 2300);
  EXPECT_TRUE(pen.award().award_user().empty());  // which officer awarded stays inside

  full.clear_funding();
  full.set_direct_payment(true);
  EXPECT_TRUE(PenPortrait(full, true).direct_payment());
  EXPECT_FALSE(PenPortrait(full, false).direct_payment());
}

// The fields of Referral whose comment in referrals.proto carries `marker`: the proto
// is what providers and their developers read, so the view must say the same.
std::set<std::string> FieldsMarked(const std::string& marker) {
  const char* root = std::getenv("PDPS_SOURCE_DIR");
  std::string here = __FILE__;  // .../services/referrals/domain/visibility_test.cc
  std::string dir = root != nullptr ? root : here.substr(0, here.rfind("/services/"));
  std::ifstream in(dir + "/protos/pdps/referrals/v1/referrals.proto");
  EXPECT_TRUE(in.good()) << "cannot read referrals.proto under " << dir;
  static const std::regex field(R"(^  (repeated )?[\w.]+ (\w+) = \d+;)");
  std::set<std::string> out;
  std::string line, comment;
  int depth = 0;
  bool inside = false;
  while (std::getline(in, line)) {
    if (!inside) {
      inside = line == "message Referral {";
      depth = inside ? 1 : 0;
      continue;
    }
    std::smatch m;
    if (depth == 1 && line.rfind("  //", 0) == 0) {
      comment += line.substr(3);  // with the space, so a marker may span lines
    } else {
      if (depth == 1 && std::regex_search(line, m, field) &&
          comment.find(marker) != std::string::npos) {
        out.insert(m[2]);
      }
      comment.clear();
    }
    depth += static_cast<int>(std::count(line.begin(), line.end(), '{')) -
             static_cast<int>(std::count(line.begin(), line.end(), '}'));
    if (depth == 0) break;
  }
  return out;
}

// Every field of a message set to something other than its default. (One case a line:
// the switches read as tables.)
// clang-format off
void FillEveryField(google::protobuf::Message* m) {
  const auto* d = m->GetDescriptor();
  const auto* r = m->GetReflection();
  using F = google::protobuf::FieldDescriptor;
  for (int i = 0; i < d->field_count(); ++i) {
    const F* f = d->field(i);
    if (f->is_repeated()) {
      switch (f->cpp_type()) {
        case F::CPPTYPE_STRING: r->AddString(m, f, "x"); break;
        case F::CPPTYPE_MESSAGE: FillEveryField(r->AddMessage(m, f)); break;
        default: ADD_FAILURE() << "repeated " << f->name() << " not filled";
      }
      continue;
    }
    switch (f->cpp_type()) {
      case F::CPPTYPE_STRING: r->SetString(m, f, "x"); break;
      case F::CPPTYPE_BOOL: r->SetBool(m, f, true); break;
      case F::CPPTYPE_INT32: r->SetInt32(m, f, 1); break;
      case F::CPPTYPE_INT64: r->SetInt64(m, f, 1); break;
      case F::CPPTYPE_DOUBLE: r->SetDouble(m, f, 1.5); break;
      case F::CPPTYPE_ENUM: r->SetEnumValue(m, f, 1); break;
      case F::CPPTYPE_MESSAGE: FillEveryField(r->MutableMessage(m, f)); break;
      default: ADD_FAILURE() << f->name() << " not filled";
    }
  }
}
// clang-format on

std::set<std::string> FieldsSet(const v1::Referral& r) {
  std::vector<const google::protobuf::FieldDescriptor*> set;
  r.GetReflection()->ListFields(r, &set);
  std::set<std::string> out;
  for (const auto* f : set) out.insert(f->name());
  return out;
}

TEST(PenPortrait, ShowsExactlyTheFieldsTheProtoMarks) {
  v1::Referral full;
  FillEveryField(&full);
  std::set<std::string> offered = FieldsMarked("Pen portrait.");
  std::set<std::string> awarded = FieldsMarked("Awarded provider's pen portrait.");
  ASSERT_GT(offered.size(), 20u);  // the proto was found and read
  EXPECT_THAT(awarded,
              ::testing::UnorderedElementsAre("award", "care_plan_extract", "direct_payment"));
  EXPECT_EQ(FieldsSet(PenPortrait(full, false)), offered);
  awarded.insert(offered.begin(), offered.end());
  EXPECT_EQ(FieldsSet(PenPortrait(full, true)), awarded);
  // Never a provider's: which officer made the award.
  EXPECT_TRUE(PenPortrait(full, true).award().award_user().empty());
}

TEST(PenPortrait, NoEndDateStaysUnset) {
  v1::Referral full = FullReferral();
  full.clear_end_date();
  full.clear_stage_deadline();
  v1::Referral pen = PenPortrait(full, false);
  EXPECT_FALSE(pen.has_end_date());
  EXPECT_FALSE(pen.has_stage_deadline());
}

}  // namespace
}  // namespace pdps::referrals::domain
