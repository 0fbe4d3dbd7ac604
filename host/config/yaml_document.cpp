// yaml-cpp 0.7 has inputs it neither parses nor rejects: a stray ',' at block level makes
// every HandleNextDocument() return an empty document without consuming anything, so
// YAML::LoadAll never returns and YAML::Load silently yields an empty document
// (jbeder/yaml-cpp#1040, fixed upstream by PR #1319 after 0.7). So the stream is first walked
// with a parser that records where each document starts: a document starting where the
// previous one did is that stuck token, reported as a syntax error.
#include "config/yaml_document.hpp"

#include <yaml-cpp/eventhandler.h>

#include <sstream>

namespace nexus::config::detail {
namespace {

class DocumentStarts : public YAML::EventHandler {
public:
    YAML::Mark start;
    void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
};

Mark to_mark(const std::string& file, const YAML::Mark& m) {
    if (m.is_null()) return Mark{file, 0, 0};
    return Mark{file, m.line + 1, m.column + 1};
}

}  // namespace

std::optional<YAML::Node> parse_document(const std::string& text, const std::string& file, Diagnostic* error) {
    try {
        std::istringstream in(text);
        YAML::Parser parser(in);
        DocumentStarts first, second;
        if (parser.HandleNextDocument(first) && parser.HandleNextDocument(second)) {
            if (second.start.pos == first.start.pos) {
                size_t at = size_t(first.start.pos);
                std::string token = at < text.size() ? std::string(1, text[at]) : std::string();
                *error = Diagnostic{to_mark(file, first.start), "unexpected '" + token + "'"};
            } else {
                *error = Diagnostic{to_mark(file, second.start), "expected one YAML document, found a second one"};
            }
            return std::nullopt;
        }
        return YAML::Load(text);
    } catch (const YAML::Exception& e) {
        *error = Diagnostic{to_mark(file, e.mark), e.msg};
        return std::nullopt;
    }
}

}  // namespace nexus::config::detail
