#include "storable.hpp"

#include "json_util.hpp"

namespace nexus::cache {

bool storable_completion(std::string_view canonical_json) {
    rapidjson::Document d;
    if (!mw::parse_json(d, canonical_json) || !d.IsObject()) return false;
    const rapidjson::Value* object = mw::member(d, "object");
    if (!object || mw::as_view(*object) != "chat.completion") return false;
    const rapidjson::Value* choices = mw::member(d, "choices");
    if (!choices || !choices->IsArray() || choices->Empty()) return false;
    for (const auto& c : choices->GetArray()) {
        const rapidjson::Value* fr = mw::member(c, "finish_reason");
        if (!fr || !fr->IsString() || fr->GetStringLength() == 0 || mw::as_view(*fr) == "error") return false;
        if (!mw::member(c, "message")) return false;
    }
    return true;
}

}  // namespace nexus::cache
