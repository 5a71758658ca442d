// The contract plugin validating calls of bound functions: arguments against a method's
// input schema before the call, the result against its output schema after it.
#include "contract_test_util.hpp"

namespace ct {
namespace {

using ::testing::HasSubstr;

// One contract whose methods exercise every keyword family, bound to the echo function
// (which returns its argument, so outputs are whatever the test sends).
const std::string kRegistry = R"(version: "1.0"
namespace: app
entries:
  - name: shapes
    kind: contract.definition
    methods:
      - name: person
        description: Every keyword family on one object
        input_schemas:
          - format: application/schema+json
            definition:
              type: object
              required: [name, age]
              additionalProperties: false
              properties:
                name: {type: string, minLength: 1, pattern: "^[A-Z]"}
                age: {type: integer, minimum: 0, maximum: 150}
                role: {enum: [admin, user]}
                tags: {type: array, items: {type: string}, maxItems: 3}
                address:
                  type: object
                  required: [city]
                  properties:
                    city: {type: string}
                    zip: {type: string, pattern: "^[0-9]{5}$"}
      - name: text
        input_schemas:
          - format: application/schema+json
            definition: {type: string}
        output_schemas:
          - format: application/schema+json
            definition: {type: string, maxLength: 5}
      - name: result_only
        output_schemas:
          - format: application/schema+json
            definition: {type: object, required: [ok], properties: {ok: {type: boolean}}}
      - name: free
        description: no schemas at all
  - name: impl
    kind: contract.binding
    contracts:
      - contract: app:shapes
        default: true
        methods:
          person: app:person
          text: app:text
          result_only: app:result_only
          free: app:free
)" + native("person", "echo") +
                              native("text", "echo") + native("result_only", "echo") + native("free", "count") +
                              native("plain", "echo");

class ContractValidation : public ::testing::Test {
protected:
    static void SetUpTestSuite() { loaded_ = std::make_unique<Loaded>(load(kRegistry)); }
    static void TearDownTestSuite() { loaded_.reset(); }
    // Not from SetUpTestSuite: GoogleTest would skip the tests, and CTest pass them.
    void SetUp() override { ASSERT_EQ(loaded_->errors, ""); }
    static Runtime& rt() { return *loaded_->rt; }
    static CallResult call(std::string_view id, std::string_view json_args) { return rt().call(id, args(json_args)); }

    // The (path, keyword) of every violation in a failed call's details, as "path keyword" lines.
    static std::vector<std::string> violations(const CallResult& r) {
        std::vector<std::string> out;
        if (r.ok() || !r.error->details) return out;
        const Value* list = r.error->details->find("violations");
        if (list == nullptr) return out;
        for (const Value& v : list->items) out.push_back(v.find("path")->str + " " + v.find("keyword")->str);
        return out;
    }

    static inline std::unique_ptr<Loaded> loaded_;
};

TEST_F(ContractValidation, ValidInputPassesAndTheFunctionRuns) {
    CallResult r = call("app:person", R"([{"name": "Ada", "age": 36, "role": "admin", "tags": ["math"],
                                          "address": {"city": "London", "zip": "12345"}}])");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.find("name")->str, "Ada");
}

TEST_F(ContractValidation, Type) {
    CallResult r = call("app:person", R"(["Ada"])");
    ASSERT_EQ(kind_of(r), MODRT_ERR_INVALID);
    EXPECT_THAT(violations(r), ::testing::ElementsAre(" type"));
    EXPECT_THAT(r.error->message, HasSubstr("(root): expected object, got string (type)"));
    r = call("app:person", R"([{"name": 7, "age": "old"}])");
    EXPECT_THAT(violations(r), ::testing::UnorderedElementsAre("/name type", "/age type"));
}

TEST_F(ContractValidation, Required) {
    CallResult r = call("app:person", R"([{"name": "Ada"}])");
    ASSERT_EQ(kind_of(r), MODRT_ERR_INVALID);
    EXPECT_THAT(violations(r), ::testing::ElementsAre(" required"));
    EXPECT_THAT(r.error->message, HasSubstr("age"));
}

TEST_F(ContractValidation, PropertiesAndAdditionalProperties) {
    CallResult r = call("app:person", R"([{"name": "Ada", "age": 1, "nickname": "A"}])");
    ASSERT_EQ(kind_of(r), MODRT_ERR_INVALID);
    EXPECT_THAT(violations(r), ::testing::ElementsAre("/nickname additionalProperties"));
}

TEST_F(ContractValidation, Enum) {
    CallResult r = call("app:person", R"([{"name": "Ada", "age": 1, "role": "root"}])");
    ASSERT_EQ(kind_of(r), MODRT_ERR_INVALID);
    EXPECT_THAT(violations(r), ::testing::ElementsAre("/role enum"));
}

TEST_F(ContractValidation, MinimumMaximumAndLengths) {
    EXPECT_THAT(violations(call("app:person", R"([{"name": "Ada", "age": -1}])")),
                ::testing::ElementsAre("/age minimum"));
    EXPECT_THAT(violations(call("app:person", R"([{"name": "Ada", "age": 151}])")),
                ::testing::ElementsAre("/age maximum"));
    EXPECT_THAT(violations(call("app:person", R"([{"name": "", "age": 1}])")),
                ::testing::UnorderedElementsAre("/name minLength", "/name pattern"));
    EXPECT_THAT(violations(call("app:person", R"([{"name": "Ada", "age": 1, "tags": ["a", "b", "c", "d"]}])")),
                ::testing::ElementsAre("/tags maxItems"));
}

TEST_F(ContractValidation, Pattern) {
    CallResult r = call("app:person", R"([{"name": "ada", "age": 1}])");
    ASSERT_EQ(kind_of(r), MODRT_ERR_INVALID);
    EXPECT_THAT(violations(r), ::testing::ElementsAre("/name pattern"));
}

TEST_F(ContractValidation, Items) {
    CallResult r = call("app:person", R"([{"name": "Ada", "age": 1, "tags": ["a", 2, true]}])");
    ASSERT_EQ(kind_of(r), MODRT_ERR_INVALID);
    EXPECT_THAT(violations(r), ::testing::UnorderedElementsAre("/tags/1 type", "/tags/2 type"));
}

TEST_F(ContractValidation, NestedObjects) {
    CallResult r = call("app:person", R"([{"name": "Ada", "age": 1, "address": {"zip": "12"}}])");
    ASSERT_EQ(kind_of(r), MODRT_ERR_INVALID);
    EXPECT_THAT(violations(r), ::testing::UnorderedElementsAre("/address required", "/address/zip pattern"));
}

TEST_F(ContractValidation, EveryViolationIsListedInTheMessageAndTheDetails) {
    CallResult r = call("app:person", R"([{"name": "ada", "age": -1, "role": "root", "tags": ["a", 2],
                                          "address": {"zip": "12"}, "extra": 1}])");
    ASSERT_EQ(kind_of(r), MODRT_ERR_INVALID);
    EXPECT_THAT(violations(r), ::testing::UnorderedElementsAre("/extra additionalProperties", "/name pattern",
                                                               "/age minimum", "/role enum", "/tags/1 type",
                                                               "/address required", "/address/zip pattern"));
    const std::string& m = r.error->message;
    EXPECT_THAT(m, HasSubstr("input of app:person does not match contract app:shapes, method person: "));
    for (const char* part : {"/name: ", "(pattern)", "/age: ", "(minimum)", "/role: ", "(enum)",
                             "/tags/1: ", "/address: ", "(required)", "/address/zip: ", "(additionalProperties)"})
        EXPECT_THAT(m, HasSubstr(part));
    const Value& d = *r.error->details;
    EXPECT_EQ(d.find("contract")->str, "app:shapes");
    EXPECT_EQ(d.find("method")->str, "person");
    EXPECT_EQ(d.find("function")->str, "app:person");
    EXPECT_EQ(d.find("direction")->str, "input");
    for (const Value& v : d.find("violations")->items) {
        EXPECT_EQ(v.find("path")->type, MODRT_STRING);
        EXPECT_FALSE(v.find("message")->str.empty());
    }
    EXPECT_FALSE(r.error->retryable);
}

TEST_F(ContractValidation, TheSchemaDescribesTheFirstArgument) {
    EXPECT_TRUE(call("app:text", R"(["abc"])").ok());
    EXPECT_TRUE(call("app:text", R"(["abc", null])").ok());  // a trailing nil is no argument
    // No argument: the input is null.
    CallResult r = call("app:text", "[]");
    ASSERT_EQ(kind_of(r), MODRT_ERR_INVALID);
    EXPECT_THAT(r.error->message, HasSubstr("expected string, got null"));
    // A method with an input schema takes one value.
    r = call("app:text", R"(["a", "b"])");
    ASSERT_EQ(kind_of(r), MODRT_ERR_INVALID);
    EXPECT_THAT(violations(r), ::testing::ElementsAre(" arguments"));
    EXPECT_THAT(r.error->message, HasSubstr("takes one input value"));
}

TEST_F(ContractValidation, OutputIsValidatedAfterTheCall) {
    EXPECT_TRUE(call("app:text", R"(["abc"])").ok());
    CallResult r = call("app:text", R"(["abcdefgh"])");  // a valid input, echoed: too long an output
    ASSERT_EQ(kind_of(r), MODRT_ERR_INVALID);
    EXPECT_THAT(violations(r), ::testing::ElementsAre(" maxLength"));
    EXPECT_EQ(r.error->details->find("direction")->str, "output");
    EXPECT_THAT(r.error->message, HasSubstr("output of app:text does not match contract app:shapes, method text"));

    EXPECT_TRUE(call("app:result_only", R"([{"ok": true}])").ok());
    r = call("app:result_only", R"([{"ok": "yes", "n": 1}])");
    ASSERT_EQ(kind_of(r), MODRT_ERR_INVALID);
    EXPECT_THAT(violations(r), ::testing::ElementsAre("/ok type"));
    r = call("app:result_only", "[]");  // nil result
    EXPECT_THAT(violations(r), ::testing::ElementsAre(" type"));
}

TEST_F(ContractValidation, AMethodWithoutSchemasTakesAnything) {
    CallResult r = call("app:free", R"([1, "two", {"three": 3}])");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.scalar.i, 3);
    // An output-only method does not look at its arguments.
    EXPECT_TRUE(call("app:result_only", R"([{"ok": false}, 2, 3])").ok());
}

TEST_F(ContractValidation, AFunctionBoundToNoContractIsNotValidated) {
    EXPECT_TRUE(call("app:plain", R"([{"name": 7}])").ok());
    EXPECT_TRUE(call("app:plain", R"(["a", "b", "c"])").ok());
}

TEST_F(ContractValidation, ConcurrentCallsSeeTheSameVerdicts) {
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 500; ++i) {
                if (!call("app:person", R"([{"name": "Ada", "age": 3}])").ok()) ++wrong;
                if (kind_of(call("app:person", R"([{"name": "ada", "age": 3}])")) != MODRT_ERR_INVALID) ++wrong;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(wrong.load(), 0);
}

// ---------------------------------------------------------------------------
// The provider driven directly: covers, cost, loads while calls run
// ---------------------------------------------------------------------------

// Function entries only: the direct plugin instance below gets the contract entries.
const std::string kCoverFunctions = R"(version: "1.0"
namespace: app
entries:
)" + native("en", "greet_en") + native("fr", "greet_fr") +
                                    native("plain", "echo");

const char* kGreeterJson = R"({"name": "greeter", "kind": "contract.definition", "methods": [
    {"name": "greet", "input_schemas": [{"format": "application/schema+json", "definition": {"type": "string", "minLength": 1}}]}]})";

TEST(ContractProvider, CoversExactlyTheFunctionsSomeBindingNames) {
    Loaded l = load_ok(kCoverFunctions);
    DirectPlugin p(*l.rt);
    EXPECT_EQ(p.add("app:greeter", "contract.definition", kGreeterJson), "");
    EXPECT_EQ(p.add("app:english", "contract.binding",
                    R"({"name": "english", "kind": "contract.binding", "contracts": [
                        {"contract": "app:greeter", "default": true, "methods": {"greet": "app:en"}}]})"),
              "");
    EXPECT_FALSE(p.covers("app:en"));  // not before the load is finished
    EXPECT_EQ(p.finish(), "[]");
    EXPECT_TRUE(p.covers("app:en"));
    EXPECT_FALSE(p.covers("app:fr"));
    EXPECT_FALSE(p.covers("app:plain"));
    EXPECT_FALSE(p.covers("app:greeter"));
    EXPECT_FALSE(p.covers("app:nothing"));
    // A second load binds fr too.
    EXPECT_EQ(p.add("app:french", "contract.binding",
                    R"({"name": "french", "kind": "contract.binding", "contracts": [
                        {"contract": "greeter", "methods": {"greet": "fr"}}]})"),
              "");
    EXPECT_EQ(p.finish(), "[]");
    EXPECT_TRUE(p.covers("app:fr"));
    EXPECT_FALSE(p.validate_input("app:fr", args(R"(["Ada"])")));
    EXPECT_TRUE(p.validate_input("app:fr", args(R"([""])")));
    // Not covered: never an error, whatever the arguments.
    EXPECT_FALSE(p.validate_input("app:plain", args(R"([1, 2, 3])")));
    EXPECT_FALSE(p.validate_output("app:plain", args(R"([1, 2, 3])")));
}

TEST(ContractProvider, ABrokenBindingCoversNothing) {
    Loaded l = load_ok(kCoverFunctions);
    DirectPlugin p(*l.rt);
    EXPECT_EQ(p.add("app:greeter", "contract.definition", kGreeterJson), "");
    EXPECT_EQ(p.add("app:bad", "contract.binding",
                    R"({"contracts": [{"contract": "app:greeter", "methods": {"greet": "app:missing"}}]})"),
              "");
    EXPECT_THAT(p.finish(), HasSubstr("function 'app:missing' not found"));
    EXPECT_FALSE(p.covers("app:missing"));
    CallResult r = p.resolve("app:bad", "greet");
    ASSERT_EQ(kind_of(r), MODRT_ERR_UNAVAILABLE);
    EXPECT_THAT(r.error->message, HasSubstr("did not load: method 'greet': function 'app:missing' not found"));
    EXPECT_FALSE(r.error->retryable);
}

// Calls validate while other threads load more contracts and bindings (run it under TSan).
TEST(ContractProvider, LoadsWhileCallsRun) {
    Loaded l = load_ok(kCoverFunctions);
    DirectPlugin p(*l.rt);
    EXPECT_EQ(p.add("app:greeter", "contract.definition", kGreeterJson), "");
    EXPECT_EQ(p.add("app:english", "contract.binding",
                    R"({"contracts": [{"contract": "app:greeter", "default": true, "methods": {"greet": "app:en"}}]})"),
              "");
    EXPECT_EQ(p.finish(), "[]");
    std::atomic<bool> stop{false};
    std::atomic<int> wrong{0};
    std::vector<std::thread> callers;
    for (int t = 0; t < 3; ++t)
        callers.emplace_back([&] {
            Value good = args(R"(["Ada"])"), bad = args("[42]");
            while (!stop.load()) {
                if (p.validate_input("app:en", good)) ++wrong;
                if (!p.validate_input("app:en", bad)) ++wrong;
                CallResult r = p.resolve("app:greeter", "greet");
                if (!r.ok() || r.value.str != "app:en") ++wrong;
                (void)p.covers("app:fr");
            }
        });
    for (int i = 0; i < 100; ++i) {
        std::string n = std::to_string(i);
        EXPECT_EQ(p.add("app:c" + n, "contract.definition", kGreeterJson), "");
        EXPECT_EQ(p.add("app:b" + n, "contract.binding",
                        R"({"contracts": [{"contract": "app:c)" + n + R"(", "methods": {"greet": "app:fr"}}]})"),
                  "");
        EXPECT_EQ(p.finish(), "[]");
    }
    stop = true;
    for (auto& t : callers) t.join();
    EXPECT_EQ(wrong.load(), 0);
    EXPECT_TRUE(p.covers("app:fr"));
}

}  // namespace
}  // namespace ct
