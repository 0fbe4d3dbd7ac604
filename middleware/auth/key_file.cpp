#include "key_file.hpp"

#include "nexus/nexus.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace nexus::auth {
namespace {

using nexus::sdk::Error;

// A plain (unquoted) YAML scalar typed by the YAML 1.2 core schema; quoted ones stay strings.
void scalar_to_json(const YAML::Node& n, rapidjson::Value& out, rapidjson::Document::AllocatorType& a) {
    const std::string& s = n.Scalar();
    const bool plain = n.Tag() != "!" && n.Tag() != "tag:yaml.org,2002:str";
    if (plain) {
        if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return void(out.SetNull());
        if (s == "true" || s == "True" || s == "TRUE") return void(out.SetBool(true));
        if (s == "false" || s == "False" || s == "FALSE") return void(out.SetBool(false));
        char* end = nullptr;
        errno = 0;
        long long i = std::strtoll(s.c_str(), &end, 10);
        if (errno == 0 && end && *end == '\0' && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' || s[0] == '+'))
            return void(out.SetInt64(i));
        double d = std::strtod(s.c_str(), &end);
        if (end && *end == '\0' && std::isfinite(d) && s.find_first_of("0123456789") != std::string::npos &&
            s.find_first_not_of("0123456789+-.eE") == std::string::npos)
            return void(out.SetDouble(d));
    }
    out.SetString(s.data(), rapidjson::SizeType(s.size()), a);
}

void to_json(const YAML::Node& n, rapidjson::Value& out, rapidjson::Document::AllocatorType& a) {
    switch (n.Type()) {
        case YAML::NodeType::Map:
            out.SetObject();
            for (const auto& kv : n) {
                rapidjson::Value key, value;
                const std::string& k = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
                key.SetString(k.data(), rapidjson::SizeType(k.size()), a);
                to_json(kv.second, value, a);
                out.AddMember(key, value, a);
            }
            return;
        case YAML::NodeType::Sequence:
            out.SetArray();
            for (const auto& item : n) {
                rapidjson::Value v;
                to_json(item, v, a);
                out.PushBack(v, a);
            }
            return;
        case YAML::NodeType::Scalar: return scalar_to_json(n, out, a);
        default: return void(out.SetNull());
    }
}

}  // namespace

rapidjson::Document load_key_file(const std::string& path) {
    const std::string where = "auth: keys_file '" + path + "': ";
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(NX_ERR_INVALID, where + "cannot read it: " + std::strerror(errno));
    std::stringstream text;
    text << in.rdbuf();

    YAML::Node root;
    try {
        root = YAML::Load(text.str());
    } catch (const YAML::Exception& e) {
        throw Error(NX_ERR_INVALID, where + "line " + std::to_string(e.mark.line + 1) + ", column " +
                                        std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
    if (root.IsMap() && root["keys"]) root = root["keys"];
    if (!root.IsSequence())
        throw Error(NX_ERR_INVALID, where + "expected a list of keys (or a mapping with `keys:`)");
    rapidjson::Document doc;
    to_json(root, doc, doc.GetAllocator());
    return doc;
}

}  // namespace nexus::auth
