#include "key_list.hpp"

#include "json_util.hpp"
#include "nexus/nexus.hpp"

namespace nexus::auth {
namespace {

using nexus::sdk::Error;

[[noreturn]] void fail(const KeyListSource& src, const std::string& field, const std::string& what) {
    throw Error(NX_ERR_INVALID, src.prefix + "'" + field + "': " + what);
}

[[noreturn]] void expected(const KeyListSource& src, const std::string& field, const std::string& what,
                           const std::string& found) {
    fail(src, field, "expected " + what + ", found " + found);
}

// A hash field must not be echoed: a user may have pasted the key itself there.
std::string describe_secretish(const rapidjson::Value& v) {
    if (!v.IsString()) return mw::describe(v);
    std::string_view s = mw::as_view(v);
    std::string out = "a string of " + std::to_string(s.size()) + " characters";
    if (s.substr(0, 3) == "nx-") out += " that looks like a key itself (store its hash: see `nexus keys new`)";
    return out;
}

VirtualKey read_entry(const rapidjson::Value& e, const KeyListSource& src, const std::string& at) {
    if (!e.IsObject()) expected(src, at, "a mapping {id, hash, models?, metadata?}", mw::describe(e));
    for (const auto& m : e.GetObject()) {
        std::string_view name = mw::as_view(m.name);
        if (name != "id" && name != "hash" && name != "models" && name != "metadata" && name != "chain")
            fail(src, at, "unknown setting '" + std::string(name) + "' (known: id, hash, models, metadata, chain)");
    }
    VirtualKey k;
    const rapidjson::Value* id = mw::member(e, "id");
    if (!id) fail(src, at, "missing 'id'");
    if (!id->IsString() || !valid_key_id(mw::as_view(*id)))
        expected(src, at + ".id", "1 to 64 characters from A-Z a-z 0-9 . _ -", mw::describe(*id));
    k.id = mw::as_view(*id);

    const rapidjson::Value* hash = mw::member(e, "hash");
    if (!hash) fail(src, at, "missing 'hash' (\"sha256:<64 hex digits>\"; `nexus keys new` prints one)");
    std::string_view h = mw::as_view(*hash);
    if (!hash->IsString() || h.substr(0, 7) != "sha256:" || !mw::from_hex(h.substr(7), k.digest))
        expected(src, at + ".hash", "\"sha256:\" followed by 64 hex digits", describe_secretish(*hash));

    if (const rapidjson::Value* models = mw::member(e, "models"); models && !models->IsNull()) {
        if (!models->IsArray() || models->Empty())
            expected(src, at + ".models", "a non-empty list of model names or patterns", mw::describe(*models));
        for (rapidjson::SizeType i = 0; i < models->Size(); ++i) {
            const auto& m = (*models)[i];
            if (!m.IsString() || m.GetStringLength() == 0)
                expected(src, at + ".models[" + std::to_string(i) + "]", "a model name or pattern", mw::describe(m));
            k.models.emplace_back(mw::as_view(m));
        }
    }
    if (const rapidjson::Value* chain = mw::member(e, "chain"); chain && !chain->IsNull()) {
        if (!chain->IsString() || chain->GetStringLength() == 0)
            expected(src, at + ".chain", "the name of a chain under chains:", mw::describe(*chain));
        k.chain = mw::as_view(*chain);
    }
    if (const rapidjson::Value* meta = mw::member(e, "metadata"); meta && !meta->IsNull()) {
        if (!meta->IsObject()) expected(src, at + ".metadata", "a mapping", mw::describe(*meta));
        k.metadata_json = mw::to_json(*meta);
    }
    return k;
}

}  // namespace

bool valid_key_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '-';
        if (!ok) return false;
    }
    return true;
}

void read_key_list(const rapidjson::Value& list, const KeyListSource& src, KeyTable& table) {
    if (!list.IsArray()) expected(src, src.field, "a list of keys", mw::describe(list));
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
        std::string at = src.field + "[" + std::to_string(i) + "]";
        VirtualKey k = read_entry(list[i], src, at);
        if (auto other = table.conflict(k))
            fail(src, at, *other == k.id ? "the id '" + k.id + "' is used twice"
                                         : "the same key hash as '" + *other + "' (one key, two ids)");
        table.add(std::move(k));
    }
}

}  // namespace nexus::auth
