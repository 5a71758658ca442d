// libs/json_schema beside valijson (Debian libvalijson-dev), built only where valijson's
// header is. Each schema compiles once, outside the loop, in both.
//
//   ours                  Schema::validate on the host value, as the contract plugin does
//                         (no collector: the plugin's path for valid input)
//   ours_collect          the same collecting every violation (the plugin's error path)
//   valijson              Validator::validate on an nlohmann::json built before the loop
//   valijson_convert      the same plus host value -> nlohmann::json every iteration:
//                         what switching would cost on the call path
//   valijson_collect      collecting every error into ValidationResults
//   valijson_new_validator  a Validator per call: its regex cache is mutable, so one
//                         Validator cannot serve concurrent calls as a compiled Schema can
#include "host_json.hpp"
#include "json_schema/schema.hpp"

#include <modrt/kernel/json.hpp>
#include <modrt/kernel/runtime.hpp>

#include <benchmark/benchmark.h>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace modrt::bench {
namespace {

namespace js = contract::json_schema;
using kernel::Value;

// bench_env.cpp's kSumContract input schema: the contract behind BM_Call/contract_validated.
constexpr std::string_view kSumSchema =
    R"({"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}})";
constexpr std::string_view kSumValid = R"({"a": 20, "b": 22})";
constexpr std::string_view kSumInvalid = R"({"a": "20"})";  // a wrong type, b missing

// An order: nested objects, an array of item objects, enums, patterns, maxLength, bounds.
constexpr std::string_view kOrderSchema = R"({
  "type": "object",
  "required": ["id", "status", "customer", "items"],
  "additionalProperties": false,
  "properties": {
    "id": {"type": "string", "pattern": "^ord-[0-9]{6}$"},
    "status": {"enum": ["new", "paid", "shipped", "cancelled"]},
    "priority": {"type": "integer", "enum": [1, 2, 3]},
    "notes": {"type": "string", "maxLength": 500},
    "customer": {
      "type": "object",
      "required": ["name", "email"],
      "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "email": {"type": "string", "maxLength": 254, "pattern": "^[^@ ]+@[^@ ]+$"},
        "address": {
          "type": "object",
          "required": ["street", "city", "country"],
          "properties": {
            "street": {"type": "string", "maxLength": 200},
            "city": {"type": "string", "maxLength": 100},
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "zip": {"type": "string", "maxLength": 10}
          }
        }
      }
    },
    "items": {
      "type": "array", "minItems": 1, "maxItems": 100,
      "items": {
        "type": "object",
        "required": ["sku", "qty", "price"],
        "additionalProperties": false,
        "properties": {
          "sku": {"type": "string", "pattern": "^[A-Z0-9-]{3,20}$"},
          "qty": {"type": "integer", "minimum": 1, "maximum": 1000},
          "price": {"type": "number", "exclusiveMinimum": 0},
          "tags": {"type": "array", "items": {"type": "string", "maxLength": 20}, "uniqueItems": true}
        }
      }
    }
  }
})";
constexpr std::string_view kOrderValid = R"({
  "id": "ord-004217", "status": "paid", "priority": 2, "notes": "leave at the door",
  "customer": {"name": "Ada Lovelace", "email": "ada@example.com",
               "address": {"street": "12 St James's Square", "city": "London", "country": "GB", "zip": "SW1Y 4JH"}},
  "items": [
    {"sku": "BOOK-0001", "qty": 1, "price": 24.5, "tags": ["paper", "gift"]},
    {"sku": "PEN-42", "qty": 3, "price": 1.2},
    {"sku": "INK-BLUE", "qty": 2, "price": 4.75, "tags": ["refill"]},
    {"sku": "NOTE-A5", "qty": 5, "price": 3.0, "tags": ["paper", "a5", "dotted"]},
    {"sku": "CASE-7", "qty": 1, "price": 12.99}
  ]
})";

Value parse(std::string_view text) {
    Value v;
    if (auto error = kernel::parse_json(text, v)) throw std::runtime_error(error->message);
    return v;
}

// One schema and one instance, in both validators' forms, compiled once per benchmark.
class Case {
public:
    Case(std::string_view schema_text, std::string_view instance_text)
        : host_(rt_.host_api()), instance_(parse(instance_text)), json_(host_to_json(host_, &instance_)) {
        Value schema_value = parse(schema_text);
        std::string error;
        ours_ = js::Schema::compile(rt_.host_api(), &schema_value, &error);
        if (!ours_) throw std::runtime_error(error);
        const nlohmann::json schema_json = nlohmann::json::parse(schema_text);
        valijson::SchemaParser(valijson::SchemaParser::kDraft7)
            .populateSchema(valijson::adapters::NlohmannJsonAdapter(schema_json), theirs_);
    }

    const js::Schema& ours() const { return *ours_; }
    const valijson::Schema& theirs() const { return theirs_; }
    const modrt_value* instance() const { return &instance_; }
    const nlohmann::json& json() const { return json_; }
    nlohmann::json convert() const { return host_to_json(host_, &instance_); }

private:
    kernel::Runtime rt_{kernel::RuntimeOptions{}};
    js::detail::HostValues host_;
    Value instance_;
    nlohmann::json json_;
    std::unique_ptr<js::Schema> ours_;
    valijson::Schema theirs_;
};

// The verdict must be what the case expects; a wrong one ends the benchmark with an error.
bool check(benchmark::State& state, bool got, bool expected) {
    if (got == expected) return true;
    state.SkipWithError(expected ? "valid instance rejected" : "invalid instance accepted");
    return false;
}

enum class Mode { Ours, OursCollect, Valijson, ValijsonConvert, ValijsonCollect, ValijsonNewValidator };

// `get` builds the case on first use, inside the run: not during static initialisation.
void run(benchmark::State& state, const Case& (*get)(), bool expected, Mode mode) {
    const Case& c = get();
    valijson::Validator validator;
    for (auto _ : state) {
        bool valid = false;
        switch (mode) {
            case Mode::Ours:
                valid = c.ours().validate(c.instance());
                break;
            case Mode::OursCollect: {
                std::vector<js::Violation> why;
                valid = c.ours().validate(c.instance(), &why);
                benchmark::DoNotOptimize(why.data());
                break;
            }
            case Mode::Valijson:
                valid = validator.validate(c.theirs(), valijson::adapters::NlohmannJsonAdapter(c.json()),
                                           nullptr);
                break;
            case Mode::ValijsonConvert: {
                const nlohmann::json json = c.convert();
                valid = validator.validate(c.theirs(), valijson::adapters::NlohmannJsonAdapter(json), nullptr);
                break;
            }
            case Mode::ValijsonCollect: {
                valijson::ValidationResults why;
                valid = validator.validate(c.theirs(), valijson::adapters::NlohmannJsonAdapter(c.json()), &why);
                benchmark::DoNotOptimize(why.numErrors());
                break;
            }
            case Mode::ValijsonNewValidator: {
                valijson::Validator fresh;
                valid = fresh.validate(c.theirs(), valijson::adapters::NlohmannJsonAdapter(c.json()), nullptr);
                break;
            }
        }
        if (!check(state, valid, expected)) break;
    }
}

const Case& sum_valid() {
    static const Case c(kSumSchema, kSumValid);
    return c;
}
const Case& sum_invalid() {
    static const Case c(kSumSchema, kSumInvalid);
    return c;
}
const Case& order_valid() {
    static const Case c(kOrderSchema, kOrderValid);
    return c;
}

// Ours beside valijson, case by case; names say schema/instance/validator.
BENCHMARK_CAPTURE(run, sum_valid_ours, sum_valid, true, Mode::Ours)->Name("BM_JsonSchema/sum_valid/ours");
BENCHMARK_CAPTURE(run, sum_valid_valijson, sum_valid, true, Mode::Valijson)->Name("BM_JsonSchema/sum_valid/valijson");
BENCHMARK_CAPTURE(run, sum_valid_valijson_convert, sum_valid, true, Mode::ValijsonConvert)
    ->Name("BM_JsonSchema/sum_valid/valijson_convert");
BENCHMARK_CAPTURE(run, sum_invalid_ours, sum_invalid, false, Mode::Ours)->Name("BM_JsonSchema/sum_invalid/ours");
BENCHMARK_CAPTURE(run, sum_invalid_valijson, sum_invalid, false, Mode::Valijson)
    ->Name("BM_JsonSchema/sum_invalid/valijson");
BENCHMARK_CAPTURE(run, sum_invalid_ours_collect, sum_invalid, false, Mode::OursCollect)
    ->Name("BM_JsonSchema/sum_invalid/ours_collect");
BENCHMARK_CAPTURE(run, sum_invalid_valijson_collect, sum_invalid, false, Mode::ValijsonCollect)
    ->Name("BM_JsonSchema/sum_invalid/valijson_collect");
BENCHMARK_CAPTURE(run, order_valid_ours, order_valid, true, Mode::Ours)->Name("BM_JsonSchema/order_valid/ours");
BENCHMARK_CAPTURE(run, order_valid_valijson, order_valid, true, Mode::Valijson)
    ->Name("BM_JsonSchema/order_valid/valijson");
BENCHMARK_CAPTURE(run, order_valid_valijson_convert, order_valid, true, Mode::ValijsonConvert)
    ->Name("BM_JsonSchema/order_valid/valijson_convert");
BENCHMARK_CAPTURE(run, order_valid_valijson_new_validator, order_valid, true, Mode::ValijsonNewValidator)
    ->Name("BM_JsonSchema/order_valid/valijson_new_validator");

}  // namespace
}  // namespace modrt::bench
