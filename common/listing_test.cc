// listing::ReadPage against a real PostgreSQL: pages by one and two sort columns, from
// the pool and in a transaction, with AIP-158's page sizes and tokens.
#include "common/listing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/testing/pg_harness.h"

namespace pdps::listing {
namespace {

using ::pdps::testing::TestDatabase;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

struct Item {
  std::string name;
  std::string id;
};

// $1 kind (NULL = any), $2/$3 after (name, id), $4 limit.
constexpr std::string_view kByName =
    "SELECT name, id FROM listing.items WHERE ($1::text IS NULL OR kind = $1)"
    " AND ($2::text IS NULL OR (name, id) > ($2, $3)) ORDER BY name, id LIMIT $4";
// $1 kind (NULL = any), $2 after id, $3 limit.
constexpr std::string_view kById =
    "SELECT name, id FROM listing.items WHERE ($1::text IS NULL OR kind = $1)"
    " AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3";
// As registry's documents when no expiry sort is asked for: a first key part that is
// always "" (kListDocuments). $1 kind, $2/$3 after ('', id), $4 limit.
constexpr std::string_view kByBlankThenId =
    "SELECT name, id FROM listing.items WHERE kind = $1"
    " AND ($2::text IS NULL OR (CASE WHEN kind = '' THEN name ELSE '' END, id) > ($2, $3))"
    " ORDER BY CASE WHEN kind = '' THEN name ELSE '' END, id LIMIT $4";

Item ToItem(const db::Result& r, int i) { return {r.String(i, "name"), r.String(i, "id")}; }
std::pair<std::string, std::string> NameKey(const db::Result&, int, const Item& it) {
  return {it.name, it.id};
}
std::string IdKey(const db::Result&, int, const Item& it) { return it.id; }

std::vector<std::string> Ids(const paging::Listed<Item>& page) {
  std::vector<std::string> out;
  for (const auto& it : page.items) out.push_back(it.id);
  return out;
}

class ListingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = TestDatabase::Create("listing", {"registry"}).release();
    // "few": five rows, two sharing a name (the id breaks the tie); "four": four rows;
    // "bulk": 501 rows.
    db_->Run(
        "CREATE SCHEMA listing;"
        "CREATE TABLE listing.items (kind text NOT NULL, name text NOT NULL, id text PRIMARY KEY);"
        "INSERT INTO listing.items VALUES ('few', 'Bee', 'f2'), ('few', 'Ant', 'f5'),"
        " ('few', 'Bee', 'f1'), ('few', 'Cat', 'f3'), ('other', 'Dog', 'o1'),"
        " ('few', 'Eel', 'f4'), ('four', 'A', 'q1'), ('four', 'B', 'q2'), ('four', 'C', 'q3'),"
        " ('four', 'D', 'q4');"
        "INSERT INTO listing.items SELECT 'bulk', 'n', 'b' || lpad(g::text, 4, '0')"
        " FROM generate_series(1, 501) g;"
        "GRANT USAGE ON SCHEMA listing TO registry_app;"
        "GRANT SELECT ON listing.items TO registry_app;");
    pool_ = db_->AppPool("registry", 2).release();
  }
  static void TearDownTestSuite() {
    delete pool_;
    delete db_;
  }

  static server::Call Call() {
    server::Call c;
    c.principal.user_id = "u1";
    c.deadline = absl::Now() + absl::Seconds(10);
    return c;
  }

  // A page of kByName for `kind`.
  static absl::StatusOr<paging::Listed<Item>> ByName(const std::string& kind, int page_size,
                                                     const std::string& token) {
    return ReadPage<Item>(*pool_, Call(), kByName, absl::StrCat("kind=", kind), page_size, token,
                          {db::OrNull(kind)}, ToItem, NameKey);
  }

  static TestDatabase* db_;
  static db::Pool* pool_;
};
TestDatabase* ListingTest::db_ = nullptr;
db::Pool* ListingTest::pool_ = nullptr;

TEST_F(ListingTest, PagesInOrderAndTheShortLastPageHasNoToken) {
  auto first = ByName("few", 2, "");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(Ids(*first), ElementsAre("f5", "f1"));
  ASSERT_THAT(first->next_page_token, Not(IsEmpty()));
  // The token holds the last row's (name, id), so the tie on "Bee" is broken by id.
  EXPECT_EQ(paging::Parse(2, first->next_page_token, "kind=few")->after,
            protoutil::JoinKey("Bee", "f1"));

  auto second = ByName("few", 2, first->next_page_token);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_THAT(Ids(*second), ElementsAre("f2", "f3"));
  ASSERT_THAT(second->next_page_token, Not(IsEmpty()));

  auto last = ByName("few", 2, second->next_page_token);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_THAT(Ids(*last), ElementsAre("f4"));
  EXPECT_EQ(last->next_page_token, "");
}

// AIP-158 (decision 0074): a page that ends exactly at the end of the list has no token.
TEST_F(ListingTest, APageEndingAtTheEndOfTheListHasNoToken) {
  auto all = ByName("few", 5, "");
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->items.size(), 5u);
  EXPECT_EQ(all->next_page_token, "");

  auto first = ByName("four", 2, "");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_THAT(first->next_page_token, Not(IsEmpty()));
  auto second = ByName("four", 2, first->next_page_token);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_THAT(Ids(*second), ElementsAre("q3", "q4"));
  EXPECT_EQ(second->next_page_token, "");
}

TEST_F(ListingTest, ATokenUsedWithOtherFiltersIsInvalid) {
  auto first = ByName("few", 2, "");
  ASSERT_TRUE(first.ok()) << first.status();
  auto other = ByName("other", 2, first->next_page_token);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ByName("few", 2, "not-a-token").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ListingTest, ANegativePageSizeIsInvalid) {
  EXPECT_EQ(ByName("few", -1, "").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ListingTest, PageSizeDefaultsTo50AndIsCappedAt500) {
  auto by_default = ByName("bulk", 0, "");
  ASSERT_TRUE(by_default.ok()) << by_default.status();
  EXPECT_EQ(by_default->items.size(), 50u);
  EXPECT_THAT(by_default->next_page_token, Not(IsEmpty()));

  auto capped = ByName("bulk", 100000, "");
  ASSERT_TRUE(capped.ok()) << capped.status();
  ASSERT_EQ(capped->items.size(), 500u);
  EXPECT_EQ(capped->items.back().id, "b0500");
  auto rest = ByName("bulk", 100000, capped->next_page_token);
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_THAT(Ids(*rest), ElementsAre("b0501"));
  EXPECT_EQ(rest->next_page_token, "");
}

// One sort column: one cursor parameter, and the token holds the key as it is.
TEST_F(ListingTest, OneSortColumn) {
  auto page = [](const std::string& token) {
    return ReadPage<Item>(*pool_, Call(), kById, "kind=few", 3, token, {db::P("few")}, ToItem,
                          IdKey);
  };
  auto first = page("");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(Ids(*first), ElementsAre("f1", "f2", "f3"));
  EXPECT_EQ(paging::Parse(3, first->next_page_token, "kind=few")->after, "f3");
  auto second = page(first->next_page_token);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_THAT(Ids(*second), ElementsAre("f4", "f5"));
  EXPECT_EQ(second->next_page_token, "");
}

// In a transaction, with the page's items decorated by another statement there; a blank
// first key part is passed as "" (not NULL), so the second page continues.
TEST_F(ListingTest, InATransactionWithABlankFirstKeyPart) {
  std::vector<std::string> seen;
  std::string token;
  do {
    paging::Listed<Item> out;
    ASSERT_TRUE(pool_
                    ->InTx({"", "u1", false, ""}, absl::Now() + absl::Seconds(10),
                           [&](db::Tx& tx) -> absl::Status {
                             ASSIGN_OR_RETURN(
                                 out, ReadPage<Item>(tx, kByBlankThenId, "blank", 2, token,
                                                     {db::P("few")}, ToItem,
                                                     [](const db::Result&, int, const Item& it) {
                                                       return std::pair(std::string(), it.id);
                                                     }));
                             ASSIGN_OR_RETURN(db::Result n,
                                              tx.Exec("SELECT count(*)::text AS v"
                                                      " FROM listing.items WHERE kind = 'few'"));
                             for (auto& it : out.items) it.name = n.String(0, "v");
                             return absl::OkStatus();
                           })
                    .ok());
    for (const auto& it : out.items) {
      EXPECT_EQ(it.name, "5");
      seen.push_back(it.id);
    }
    token = out.next_page_token;
    ASSERT_LE(seen.size(), 5u) << "the pages do not advance";
  } while (!token.empty());
  EXPECT_THAT(seen, ElementsAre("f1", "f2", "f3", "f4", "f5"));
}

// An item that cannot be made ends the read with its error.
TEST_F(ListingTest, AnItemThatCannotBeMadeFailsThePage) {
  auto page = ReadPage<Item>(
      *pool_, Call(), kById, "kind=few", 3, "", {db::P("few")},
      [](const db::Result& r, int i) -> absl::StatusOr<Item> {
        if (r.String(i, "id") == "f2") return absl::FailedPreconditionError("no matrix");
        return ToItem(r, i);
      },
      IdKey);
  EXPECT_EQ(page.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace pdps::listing
