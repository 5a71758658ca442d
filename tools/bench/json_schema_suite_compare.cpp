// modrt-json-schema-compare: the official JSON-Schema-Test-Suite (draft7) through
// libs/json_schema and through valijson, file by file, then every case where exactly
// one of them is right. A yardstick, never asserted: tests/contracts asserts ours.
//
// Both get what tests/contracts/json_schema_suite_test.cpp gives ours: every file under
// tests/draft7 (optional/ included, counted apart), the suite's remotes served as
// http://localhost:1234/..., and the draft-07 metaschema without a network.
//
//   modrt-json-schema-compare [suite dir, default /usr/share/json-schema-test-suite]
#include "json_schema/metaschema.hpp"
#include "json_schema/schema.hpp"

#include <modrt/kernel/json.hpp>
#include <modrt/kernel/runtime.hpp>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace js = modrt::contract::json_schema;
using modrt::kernel::Value;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// URI (without fragment) -> JSON text: the suite's remotes and the metaschema.
std::map<std::string, std::string> remote_texts(const fs::path& suite) {
    std::map<std::string, std::string> texts;
    const fs::path dir = suite / "remotes";
    if (fs::is_directory(dir))
        for (const auto& entry : fs::recursive_directory_iterator(dir))
            if (entry.is_regular_file() && entry.path().extension() == ".json")
                texts["http://localhost:1234/" + fs::relative(entry.path(), dir).generic_string()] =
                    read_file(entry.path());
    return texts;
}

// --- ours, as the suite test runs it: both modes must agree and reach the expected verdict ---

class Ours {
public:
    explicit Ours(const std::map<std::string, std::string>& remotes) {
        for (const auto& [uri, text] : remotes) {
            uris_.push_back(uri);
            values_.emplace_back();
            modrt::kernel::parse_json(text, values_.back());
        }
        // The metaschema is built into ours; valijson is handed the same text.
        for (size_t i = 0; i < uris_.size(); ++i) documents_.push_back({uris_[i], &values_[i]});
    }

    // One verdict per test of the group; empty when the schema does not compile.
    std::vector<bool> run(const std::string& group_text) {
        Value group;
        modrt::kernel::parse_json(group_text, group);
        std::string error;
        auto schema = js::Schema::compile(rt_.host_api(), group.find("schema"), documents_, &error);
        std::vector<bool> right;
        for (const Value& test : group.find("tests")->items) {
            if (!schema) {
                right.push_back(false);
                continue;
            }
            const bool expected = test.find("valid")->scalar.b;
            const bool fast = schema->validate(test.find("data"), nullptr);
            std::vector<js::Violation> why;
            const bool full = schema->validate(test.find("data"), &why);
            right.push_back(fast == expected && full == expected && full == why.empty());
        }
        return right;
    }

private:
    modrt::kernel::Runtime rt_{modrt::kernel::RuntimeOptions{}};
    std::deque<std::string> uris_;
    std::deque<Value> values_;
    std::vector<js::Document> documents_;
};

// --- valijson: SchemaParser(kDraft7) over nlohmann::json, fetching from the same texts ---

// The verdict is right, yet nothing says why: the contract plugin could not name a violation.
constexpr std::string_view kNoErrors = "right verdict, but invalid with no error reported";

class Valijson {
public:
    explicit Valijson(std::map<std::string, std::string> texts) : texts_(std::move(texts)) {
        texts_[std::string(js::detail::kDraft07Uri)] = std::string(js::detail::draft07_metaschema());
    }

    // Per test: "" when right, else why not.
    std::vector<std::string> run(const nlohmann::json& group) {
        std::vector<std::string> why_wrong;
        valijson::Schema schema;
        std::string rejected;
        try {
            valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
            parser.populateSchema(
                valijson::adapters::NlohmannJsonAdapter(group.at("schema")), schema,
                [this](const std::string& uri) { return fetch(uri); }, [](const nlohmann::json* doc) { delete doc; });
        } catch (const std::exception& e) {
            rejected = std::string("schema rejected: ") + e.what();
        }
        for (const nlohmann::json& test : group.at("tests")) {
            if (!rejected.empty()) {
                why_wrong.push_back(rejected);
                continue;
            }
            const bool expected = test.at("valid").get<bool>();
            const valijson::adapters::NlohmannJsonAdapter data(test.at("data"));
            try {
                valijson::Validator fast_validator, full_validator;
                const bool fast = fast_validator.validate(schema, data, nullptr);
                valijson::ValidationResults why;
                const bool full = full_validator.validate(schema, data, &why);
                if (!expected && !fast && !full && why.numErrors() == 0)
                    why_wrong.emplace_back(kNoErrors);
                else if (fast != full || full != (why.numErrors() == 0))
                    why_wrong.push_back("modes disagree: without results " + verdict(fast) + ", with results " +
                                        verdict(full) + " and " + std::to_string(why.numErrors()) + " errors");
                else if (full != expected) why_wrong.push_back(expected ? "rejected" : "accepted");
                else why_wrong.emplace_back();
            } catch (const std::exception& e) {
                why_wrong.push_back(std::string("threw: ") + e.what());
            }
        }
        return why_wrong;
    }

private:
    static std::string verdict(bool valid) { return valid ? "valid" : "invalid"; }

    const nlohmann::json* fetch(const std::string& uri) const {
        std::string bare = uri.substr(0, uri.find('#'));
        auto it = texts_.find(bare);
        return it == texts_.end() ? nullptr : new nlohmann::json(nlohmann::json::parse(it->second));
    }

    std::map<std::string, std::string> texts_;
};

struct Tally {
    int cases = 0, ours = 0, valijson = 0, valijson_verdicts = 0;
};

}  // namespace

int main(int argc, char** argv) {
    const fs::path suite = argc > 1 ? argv[1] : "/usr/share/json-schema-test-suite";
    const fs::path dir = suite / "tests" / "draft7";
    if (!fs::is_directory(dir)) {
        std::cerr << "no draft7 suite at " << dir << " (apt-get install json-schema-test-suite)\n";
        return 2;
    }
    const auto remotes = remote_texts(suite);
    Ours ours(remotes);
    Valijson valijson(remotes);

    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());

    Tally required, optional;
    std::vector<std::string> only_ours, only_valijson;
    // "valijson verdicts" forgives an invalid verdict without errors; "ours" and "valijson" do not.
    std::cout << "| file | cases | ours | valijson | valijson verdicts |\n|---|---:|---:|---:|---:|\n";
    for (const fs::path& file : files) {
        const std::string name = fs::relative(file, dir).generic_string();
        const nlohmann::json groups = nlohmann::json::parse(read_file(file));
        Tally t;
        for (const nlohmann::json& group : groups) {
            const std::vector<bool> a = ours.run(group.dump());
            const std::vector<std::string> b = valijson.run(group);
            for (size_t i = 0; i < a.size(); ++i) {
                const bool b_right = b[i].empty();
                ++t.cases;
                t.ours += a[i];
                t.valijson += b_right;
                t.valijson_verdicts += b_right || b[i] == kNoErrors;
                if (a[i] == b_right) continue;
                const nlohmann::json& test = group.at("tests").at(i);
                (a[i] ? only_ours : only_valijson)
                    .push_back(name + ": " + group.at("description").get<std::string>() + " / " +
                               test.at("description").get<std::string>() + " (data " + test.at("data").dump() +
                               ")" + (b_right ? "" : ": valijson " + b[i]));
            }
        }
        std::cout << "| " << name << " | " << t.cases << " | " << t.ours << " | " << t.valijson << " | "
                  << t.valijson_verdicts << " |\n";
        Tally& sum = name.starts_with("optional/") ? optional : required;
        sum.cases += t.cases;
        sum.ours += t.ours;
        sum.valijson += t.valijson;
        sum.valijson_verdicts += t.valijson_verdicts;
    }
    for (const auto& [label, sum] : {std::pair{"required (all but optional/)", required}, {"optional/", optional}})
        std::cout << "| **" << label << "** | " << sum.cases << " | " << sum.ours << " | " << sum.valijson << " | "
                  << sum.valijson_verdicts << " |\n";
    std::cout << "\nRight in ours only (" << only_ours.size() << "):\n";
    for (const std::string& s : only_ours) std::cout << "  " << s << "\n";
    std::cout << "\nRight in valijson only (" << only_valijson.size() << "):\n";
    for (const std::string& s : only_valijson) std::cout << "  " << s << "\n";
    return 0;
}
