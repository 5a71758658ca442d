// contract.definition and contract.binding entries: every problem reported at its entry,
// file and line; resolving bindings; describing contracts; swapping implementations.
#include "contract_test_util.hpp"

namespace ct {
namespace {

using ::testing::HasSubstr;

// Whether `errors` has a line "<file>:<line>: entry '<id>': ..." holding `message`.
::testing::AssertionResult has_error(const Loaded& l, const std::string& file, int64_t line, const std::string& id,
                                     const std::string& message) {
    const std::string prefix = l.file(file) + ":" + std::to_string(line) + ": entry '" + id + "': ";
    size_t start = 0;
    while (start < l.errors.size()) {
        size_t end = l.errors.find('\n', start);
        std::string one = l.errors.substr(start, end - start);
        if (one.starts_with(prefix) && one.find(message) != std::string::npos) return ::testing::AssertionSuccess();
        start = end + 1;
    }
    return ::testing::AssertionFailure() << "no error \"" << prefix << "..." << message << "...\" in:\n" << l.errors;
}

size_t error_count(const Loaded& l) { return static_cast<size_t>(std::count(l.errors.begin(), l.errors.end(), '\n')); }

const std::string kHead = "version: \"1.0\"\nnamespace: app\nentries:\n";

const std::string kGreeterYaml = R"(  - name: greeter
    kind: contract.definition
    methods:
      - name: greet
        description: Greets someone
        input_schemas:
          - format: application/schema+json
            definition: {type: string, minLength: 1}
        output_schemas:
          - format: application/schema+json
            definition: {type: string}
      - name: farewell
)";

const std::string kGreeterFunctions = native("en", "greet_en") + native("fr", "greet_fr") + native("bye", "echo");

// ---------------------------------------------------------------------------
// contract.definition: checked on its own at load
// ---------------------------------------------------------------------------

struct DefinitionCase {
    const char* name;
    std::string yaml;     // the entries after the namespace header
    std::string at;       // text on the line the error must point at
    std::string message;  // part of the message
};

void PrintTo(const DefinitionCase& c, std::ostream* os) { *os << c.name; }

class DefinitionErrors : public ::testing::TestWithParam<DefinitionCase> {};

TEST_P(DefinitionErrors, ReportedAtTheField) {
    const DefinitionCase& c = GetParam();
    const std::string yaml = kHead + c.yaml;
    Loaded l = load(yaml);
    EXPECT_EQ(error_count(l), 1u) << l.errors;
    EXPECT_TRUE(has_error(l, "registry.yaml", line_of(yaml, c.at), "app:c", c.message));
}

const std::string kDef = "  - name: c\n    kind: contract.definition\n";

INSTANTIATE_TEST_SUITE_P(
    Contract, DefinitionErrors,
    ::testing::Values(
        DefinitionCase{"UnknownField", kDef + "    interface: x\n    methods: [{name: a}]\n",
                       "interface:", "unknown field 'interface' (contract.definition takes meta, methods)"},
        DefinitionCase{"MissingMethods", kDef, "- name: c", "'methods' is missing"},
        DefinitionCase{"EmptyMethods", kDef + "    methods: []\n", "methods: []", "expected a non-empty list"},
        DefinitionCase{"UnknownMethodField", kDef + "    methods:\n      - name: a\n        input: {}\n", "input: {}",
                       "unknown field 'methods.0.input'"},
        DefinitionCase{"MissingMethodName", kDef + "    methods:\n      - name: a\n      - description: no name\n",
                       "- description", "methods.1: the method's 'name' is missing"},
        DefinitionCase{"BadMethodName", kDef + "    methods:\n      - name: \"say hello\"\n", "say hello",
                       "a method name must be an identifier"},
        DefinitionCase{"AsyncSuffix", kDef + "    methods:\n      - name: run_async\n", "run_async", "ends in _async"},
        DefinitionCase{"DuplicateMethod",
                       kDef + "    methods:\n      - name: greet\n      - name: other\n      - name: greet  # again\n",
                       "# again", "duplicate method name 'greet'"},
        DefinitionCase{
            "UnsupportedFormat",
            kDef + "    methods:\n      - name: a\n        input_schemas:\n          - format: application/xml\n"
                   "            definition: {type: string}\n",
            "format: application/xml", "unsupported schema format 'application/xml'"},
        DefinitionCase{
            "MissingFormat",
            kDef + "    methods:\n      - name: a\n        output_schemas:\n          - definition: {type: string}\n",
            "- definition", "'format' is missing"},
        DefinitionCase{"MissingDefinition",
                       kDef + "    methods:\n      - name: a\n        input_schemas:\n"
                              "          - format: application/schema+json\n",
                       "- format", "'definition' (the JSON schema) is missing"},
        DefinitionCase{"SchemaNotCompiling",
                       kDef + "    methods:\n      - name: a\n      - name: b\n        input_schemas:\n"
                              "          - format: application/schema+json\n"
                              "            definition: {type: object, properties: {x: {type: strnig}}}\n",
                       "strnig", "method 'b': methods.1.input_schemas.0.definition is not a valid JSON schema: "},
        DefinitionCase{"BadRegex",
                       kDef + "    methods:\n      - name: a\n        output_schemas:\n"
                              "          - format: application/schema+json\n"
                              "            definition: {type: string, pattern: \"([a-z\"}\n",
                       "pattern:", "methods.0.output_schemas.0.definition is not a valid JSON schema"},
        DefinitionCase{"SchemasNotAList",
                       kDef + "    methods:\n      - name: a\n        input_schemas: {type: string}\n",
                       "input_schemas:", "methods.0.input_schemas: expected a list"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(DefinitionErrors, TheCompilerSaysWhatIsWrong) {
    const std::string yaml = kHead + kDef +
                             "    methods:\n      - name: a\n        input_schemas:\n"
                             "          - format: application/schema+json\n"
                             "            definition: {type: object, properties: {x: {type: strnig}}}\n";
    Loaded l = load(yaml);
    EXPECT_THAT(l.errors, HasSubstr("strnig"));
    EXPECT_THAT(l.errors, HasSubstr("/properties/x"));
}

// ---------------------------------------------------------------------------
// contract.binding: its own shape at load, its references once the registry is there
// ---------------------------------------------------------------------------

struct BindingCase {
    const char* name;
    std::string binding;  // the binding entry `b`
    std::string at;       // text on the line the error must point at
    std::string message;
};

void PrintTo(const BindingCase& c, std::ostream* os) { *os << c.name; }

class BindingErrors : public ::testing::TestWithParam<BindingCase> {};

TEST_P(BindingErrors, ReportedAtTheField) {
    const BindingCase& c = GetParam();
    const std::string yaml = kHead + kGreeterYaml + kGreeterFunctions + c.binding;
    Loaded l = load(yaml);
    EXPECT_EQ(error_count(l), 1u) << l.errors;
    // `at` is searched in the binding only (the contract above may hold the same text).
    const int64_t line = line_of(yaml, "name: b\n") + line_of(c.binding, c.at) - line_of(c.binding, "name: b\n");
    EXPECT_TRUE(has_error(l, "registry.yaml", line, "app:b", c.message));
}

const std::string kBind = "  - name: b\n    kind: contract.binding\n";

INSTANTIATE_TEST_SUITE_P(
    Binding, BindingErrors,
    ::testing::Values(
        BindingCase{"UnknownField", kBind + "    implements: x\n", "implements:", "unknown field 'implements'"},
        BindingCase{"MissingContracts", kBind, "name: b", "'contracts' is missing"},
        BindingCase{"UnknownItemField", kBind + "    contracts:\n      - contract: app:greeter\n        method: {}\n",
                    "method: {}", "unknown field 'contracts.0.method'"},
        BindingCase{"BadContractId", kBind + "    contracts:\n      - contract: \"a:b:c\"\n        methods: {}\n",
                    "a:b:c", "expected a contract id"},
        BindingCase{"BadDefault",
                    kBind + "    contracts:\n      - contract: greeter\n        default: yes please\n"
                            "        methods: {}\n",
                    "default:", "contracts.0.default: expected true or false"},
        BindingCase{"MethodsNotAMap", kBind + "    contracts:\n      - contract: greeter\n        methods: [app:en]\n",
                    "methods:", "contracts.0.methods: expected a map"},
        BindingCase{"BadFunctionId",
                    kBind + "    contracts:\n      - contract: greeter\n        methods:\n          greet: 42\n",
                    "greet: 42", "contracts.0.methods.greet: expected a function id"},
        BindingCase{"ContractTwice",
                    kBind + "    contracts:\n      - contract: greeter\n        methods: {}\n"
                            "      - contract: app:greeter  # twice\n        methods: {}\n",
                    "# twice", "contract 'app:greeter' is listed twice"},
        BindingCase{"BadContextKeys",
                    kBind + "    context_required: [tenant, \"\"]\n    contracts:\n      - contract: greeter\n"
                            "        methods: {}\n",
                    "context_required", "context_required.1: expected a context key"},
        // References, checked once the whole registry is loaded.
        BindingCase{"MissingContract",
                    kBind + "    contracts:\n      - contract: app:nope\n        methods: {greet: app:en}\n",
                    "app:nope", "contract 'app:nope' not found"},
        BindingCase{"NotAContract",
                    kBind + "    contracts:\n      - contract: app:en\n        methods: {greet: app:en}\n",
                    "contract: app:en", "'app:en' is a function.native entry, not a contract.definition"},
        BindingCase{"MethodTheContractLacks",
                    kBind + "    contracts:\n      - contract: app:greeter\n        methods:\n"
                            "          greet: app:en\n          farewell: app:bye\n          shout: app:en\n",
                    "shout:", "contract 'app:greeter' has no method 'shout' (its methods: greet, farewell)"},
        BindingCase{"MissingFunction",
                    kBind + "    contracts:\n      - contract: app:greeter\n        methods:\n"
                            "          greet: app:en\n          farewell: app:gone\n",
                    "farewell:", "method 'farewell': function 'app:gone' not found"},
        BindingCase{"NotCallable",
                    kBind + "    contracts:\n      - contract: app:greeter\n        methods:\n"
                            "          greet: app:greeter\n          farewell: app:bye\n",
                    "greet: app:greeter",
                    "method 'greet': 'app:greeter' is a contract.definition entry, which cannot be called"},
        BindingCase{"MethodLeftUnbound",
                    kBind + "    contracts:\n      - contract: app:greeter\n        methods:\n"
                            "          greet: app:en\n",
                    "methods:", "method 'farewell' of contract 'app:greeter' is not bound to a function"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(BindingErrors, EveryProblemOfOneBindingIsReported) {
    const std::string binding = kBind + "    contracts:\n      - contract: app:greeter\n        methods:\n"
                                        "          greet: app:gone\n          shout: app:en\n";
    const std::string yaml = kHead + kGreeterYaml + kGreeterFunctions + binding;
    Loaded l = load(yaml);
    EXPECT_EQ(error_count(l), 3u) << l.errors;
    EXPECT_TRUE(has_error(l, "registry.yaml", line_of(yaml, "greet: app:gone"), "app:b", "'app:gone' not found"));
    EXPECT_TRUE(has_error(l, "registry.yaml", line_of(yaml, "shout:"), "app:b", "has no method 'shout'"));
    EXPECT_TRUE(has_error(l, "registry.yaml", line_of(yaml, "greet: app:gone") - 1, "app:b",
                          "method 'farewell' of contract 'app:greeter' is not bound"));
}

TEST(BindingErrors, AContractThatDidNotLoadIsNamedSo) {
    const std::string yaml = kHead + kGreeterFunctions +
                             "  - name: broken\n    kind: contract.definition\n    methods: []\n" + kBind +
                             "    contracts:\n      - contract: broken\n        methods: {greet: app:en}\n";
    Loaded l = load(yaml);
    EXPECT_EQ(error_count(l), 2u) << l.errors;
    EXPECT_TRUE(has_error(l, "registry.yaml", line_of(yaml, "contract: broken"), "app:b",
                          "contract 'app:broken' did not load (see its error)"));
}

const std::string kEnglish = R"(  - name: english
    kind: contract.binding
    contracts:
      - contract: app:greeter
        default: true
        methods: {greet: app:en, farewell: app:bye}
)";
const std::string kFrench = R"(  - name: french
    kind: contract.binding
    contracts:
      - contract: app:greeter
        default: true
        methods: {greet: app:fr, farewell: app:bye}
)";

TEST(BindingErrors, TwoDefaultsAreReportedOnTheSecondNamingTheFirst) {
    const std::string yaml = kHead + kGreeterYaml + kGreeterFunctions + kEnglish + kFrench;
    Loaded l = load(yaml);
    EXPECT_EQ(error_count(l), 1u) << l.errors;
    const std::string first = l.file("registry.yaml") + ":" + std::to_string(line_of(yaml, "name: english"));
    EXPECT_TRUE(has_error(l, "registry.yaml", line_of(yaml, "name: french") + 4, "app:french",
                          "contract 'app:greeter' already has a default binding: 'app:english' at " + first));
}

TEST(BindingErrors, TwoDefaultsInTwoFiles) {
    // Files load in name order: a.yaml's binding comes first.
    const std::string a = kHead + kGreeterYaml + kGreeterFunctions + kEnglish;
    const std::string b = "version: \"1.0\"\nnamespace: other\nentries:\n" + kFrench;
    Loaded l = load_files({{"a.yaml", a}, {"b.yaml", b}});
    EXPECT_EQ(error_count(l), 1u) << l.errors;
    const std::string first = l.file("a.yaml") + ":" + std::to_string(line_of(a, "name: english"));
    EXPECT_TRUE(has_error(l, "b.yaml", line_of(b, "default: true"), "other:french",
                          "already has a default binding: 'app:english' at " + first));
}

TEST(BindingErrors, ABrokenBindingFailsToResolve) {
    const std::string yaml = kHead + kGreeterYaml + kGreeterFunctions + kBind +
                             "    contracts:\n      - contract: app:greeter\n        default: true\n"
                             "        methods: {greet: app:en}\n";
    Loaded l = load(yaml);
    EXPECT_EQ(error_count(l), 1u) << l.errors;
    CallResult r = resolve(*l.rt, "app:b", "greet");
    EXPECT_EQ(kind_of(r), MODRT_ERR_UNAVAILABLE);
    EXPECT_THAT(r.error->message, HasSubstr("binding 'app:b' did not load: method 'farewell'"));
    r = resolve(*l.rt, "app:greeter", "greet");  // nor does it serve as the default
    EXPECT_EQ(kind_of(r), MODRT_ERR_NOT_FOUND);
    // ...and validates nothing: app:en is bound by no binding in force.
    EXPECT_TRUE(l.rt->call("app:en", args("[\"\"]")).ok());
}

// ---------------------------------------------------------------------------
// resolve, describe, swapping implementations
// ---------------------------------------------------------------------------

const std::string kFrenchNotDefault = R"(  - name: french
    kind: contract.binding
    context_required: [tenant]
    contracts:
      - contract: greeter
        methods: {greet: fr, farewell: bye}
        context_required: [locale]
)";

class Resolving : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        loaded_ = std::make_unique<Loaded>(
            load(kHead + kGreeterYaml + kGreeterFunctions + kEnglish + kFrenchNotDefault +
                    "  - name: lonely\n    kind: contract.definition\n    methods: [{name: m}]\n"));
    }
    static void TearDownTestSuite() { loaded_.reset(); }
    // Not from SetUpTestSuite: GoogleTest would skip the tests, and CTest pass them.
    void SetUp() override { ASSERT_EQ(loaded_->errors, ""); }
    static Runtime& rt() { return *loaded_->rt; }
    static inline std::unique_ptr<Loaded> loaded_;
};

TEST_F(Resolving, ABindingIdGivesItsFunction) {
    CallResult r = resolve(rt(), "app:english", "greet");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.type, MODRT_STRING);
    EXPECT_EQ(r.value.str, "app:en");
    EXPECT_EQ(resolve(rt(), "app:french", "greet").value.str, "app:fr");
    EXPECT_EQ(resolve(rt(), "app:french", "farewell").value.str, "app:bye");
}

TEST_F(Resolving, AContractIdGivesItsDefaultBinding) {
    CallResult r = resolve(rt(), "app:greeter", "greet");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.str, "app:en");
}

TEST_F(Resolving, Errors) {
    CallResult r = resolve(rt(), "app:nothing", "greet");
    EXPECT_EQ(kind_of(r), MODRT_ERR_NOT_FOUND);
    EXPECT_THAT(r.error->message, HasSubstr("no contract or binding 'app:nothing'"));

    r = resolve(rt(), "app:english", "shout");
    EXPECT_EQ(kind_of(r), MODRT_ERR_NOT_FOUND);
    EXPECT_THAT(r.error->message, HasSubstr("binding 'app:english' has no method 'shout' (it implements app:greeter)"));

    r = resolve(rt(), "app:greeter", "shout");
    EXPECT_EQ(kind_of(r), MODRT_ERR_NOT_FOUND);
    EXPECT_THAT(r.error->message,
                HasSubstr("contract 'app:greeter' has no method 'shout' (its methods: greet, farewell)"));

    r = resolve(rt(), "app:lonely", "m");
    EXPECT_EQ(kind_of(r), MODRT_ERR_NOT_FOUND);
    EXPECT_THAT(r.error->message, HasSubstr("contract 'app:lonely' has no default binding"));

    r = resolve(rt(), "app:en", "greet");  // a function is neither contract nor binding
    EXPECT_EQ(kind_of(r), MODRT_ERR_NOT_FOUND);

    for (const char* bad : {"greeter", "", "app:", ":greeter", "a:b:c", "app:gre eter"}) {
        r = resolve(rt(), bad, "greet");
        EXPECT_EQ(kind_of(r), MODRT_ERR_INVALID) << bad;
    }
    EXPECT_EQ(kind_of(resolve(rt(), "app:greeter", "")), MODRT_ERR_INVALID);
}

TEST_F(Resolving, TwoBindingsSwapTheImplementation) {
    // The caller picks the binding; the same method runs another function.
    std::vector<std::string> results;
    for (const char* binding : {"app:greeter", "app:english", "app:french"}) {
        CallResult fn = resolve(rt(), binding, "greet");
        ASSERT_TRUE(fn.ok()) << fn.error->message;
        CallResult r = rt().call(fn.value.str, args(R"(["Ada"])"));
        ASSERT_TRUE(r.ok()) << r.error->message;
        results.push_back(r.value.str);
    }
    EXPECT_THAT(results, ::testing::ElementsAre("Hello, Ada!", "Hello, Ada!", "Bonjour, Ada !"));
    // Both implementations are validated against the contract's schema.
    for (const char* fn : {"app:en", "app:fr"}) {
        CallResult r = rt().call(fn, args(R"([""])"));
        EXPECT_EQ(kind_of(r), MODRT_ERR_INVALID) << fn;
        EXPECT_THAT(r.error->message, HasSubstr("(minLength)"));
    }
}

TEST_F(Resolving, DescribeShowsMethodsSchemasAndImplementations) {
    CallResult d = rt().describe_contracts();
    ASSERT_TRUE(d.ok()) << d.error->message;
    ASSERT_EQ(d.value.type, MODRT_MAP);
    EXPECT_THAT(d.value.keys, ::testing::ElementsAre("app:greeter", "app:lonely"));
    const Value& greeter = *d.value.find("app:greeter");
    EXPECT_EQ(to_json(*greeter.find("methods")), to_json(json(R"([
                {"name": "greet", "description": "Greets someone",
                 "input_schemas": [{"format": "application/schema+json", "definition": {"type": "string", "minLength": 1}}],
                 "output_schemas": [{"format": "application/schema+json", "definition": {"type": "string"}}]},
                {"name": "farewell", "description": ""}])")));
    EXPECT_EQ(to_json(*greeter.find("implementations")), to_json(json(R"([
                {"binding": "app:english", "default": true, "methods": {"greet": "app:en", "farewell": "app:bye"},
                 "context_required": []},
                {"binding": "app:french", "default": false, "methods": {"greet": "app:fr", "farewell": "app:bye"},
                 "context_required": ["tenant", "locale"]}])")));
    EXPECT_EQ(to_json(*d.value.find("app:lonely")),
              to_json(json(R"({"methods": [{"name": "m", "description": ""}], "implementations": []})")));
}

TEST(Describe, UnavailableWithoutAContractProvider) {
    Loaded l = load_ok(kHead + kGreeterFunctions);
    CallResult d = l.rt->describe_contracts();
    EXPECT_EQ(kind_of(d), MODRT_ERR_UNAVAILABLE);
}

TEST(Bindings, ALaterLoadAddsAnImplementation) {
    Loaded l = load_ok(kHead + kGreeterYaml + kGreeterFunctions + kEnglish);
    fs::path more = scratch_dir() / "more.yaml";
    std::ofstream(more) << "version: \"1.0\"\nnamespace: extra\nentries:\n" + kFrenchNotDefault;
    // A bare name is in the binding's own namespace: extra:greeter does not exist.
    auto errors = l.rt->load(more);
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_THAT(errors[0].message, HasSubstr("contract 'extra:greeter' not found"));
    EXPECT_THAT(errors[1].message, HasSubstr("function 'extra:fr' not found"));
    EXPECT_THAT(errors[2].message, HasSubstr("function 'extra:bye' not found"));

    std::ofstream(more) << "version: \"1.0\"\nnamespace: extra\nentries:\n"
                           "  - name: french2\n    kind: contract.binding\n    contracts:\n"
                           "      - contract: app:greeter\n        methods: {greet: app:fr, farewell: app:bye}\n";
    errors = l.rt->load(more);
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(resolve(*l.rt, "extra:french2", "greet").value.str, "app:fr");
    EXPECT_EQ(resolve(*l.rt, "app:greeter", "greet").value.str, "app:en");
    // app:fr was not covered after the first load; it is now.
    EXPECT_EQ(kind_of(l.rt->call("app:fr", args(R"([""])"))), MODRT_ERR_INVALID);
}

}  // namespace
}  // namespace ct
