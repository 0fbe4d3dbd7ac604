#include "tool_translator.hpp"

#include "content_blocks.hpp"

#include <string>

namespace nexus::claude {

using rapidjson::Value;

rapidjson::Value translate_tools(const Value* tools, Alloc& alloc) {
    Value out(rapidjson::kArrayType);
    if (!tools || tools->IsNull()) return out;
    if (!tools->IsArray()) throw_invalid("tools", "must be an array");
    for (rapidjson::SizeType i = 0; i < tools->Size(); ++i) {
        const Value& tool = (*tools)[i];
        std::string where = "tools[" + std::to_string(i) + "]";
        if (!tool.IsObject()) throw_invalid(where, "must be an object");
        std::string_view type = string_member(tool, "type");
        if (type != "function") {
            throw_unsupported(where, type.empty() ? std::string("a tool without \"type\": \"function\"")
                                                  : "tools of type '" + std::string(type) + "' (only function tools)");
        }
        const Value* fn = find_member(tool, "function");
        if (!fn || !fn->IsObject()) throw_invalid(where + ".function", "is required");
        std::string_view name = string_member(*fn, "name");
        if (name.empty()) throw_invalid(where + ".function.name", "is required");

        Value t(rapidjson::kObjectType);
        add(t, "name", str(name, alloc), alloc);
        if (const Value* d = find_present(*fn, "description")) {
            if (!d->IsString()) throw_invalid(where + ".function.description", "must be a string");
            add(t, "description", Value(*d, alloc), alloc);
        }
        if (const Value* p = find_present(*fn, "parameters")) {
            if (!p->IsObject()) throw_invalid(where + ".function.parameters", "must be a JSON Schema object");
            add(t, "input_schema", Value(*p, alloc), alloc);
        } else {
            // Anthropic requires an input_schema; a tool without parameters takes an empty object.
            Value schema(rapidjson::kObjectType);
            add(schema, "type", Value("object"), alloc);
            add(schema, "properties", Value(rapidjson::kObjectType), alloc);
            add(t, "input_schema", std::move(schema), alloc);
        }
        const Value* cc = find_present(tool, "cache_control");
        if (!cc) cc = find_present(*fn, "cache_control");
        if (cc) {
            if (!cc->IsObject()) throw_invalid(where + ".cache_control", "must be an object");
            add(t, "cache_control", Value(*cc, alloc), alloc);
        }
        out.PushBack(std::move(t), alloc);
    }
    return out;
}

rapidjson::Value translate_tool_choice(const Value* tool_choice, const Value* parallel_tool_calls, bool have_tools,
                                       Alloc& alloc) {
    if (parallel_tool_calls && !parallel_tool_calls->IsNull() && !parallel_tool_calls->IsBool())
        throw_invalid("parallel_tool_calls", "must be a boolean");
    if (!have_tools) return Value();  // Anthropic refuses a tool_choice without tools

    Value out(rapidjson::kObjectType);
    if (!tool_choice || tool_choice->IsNull()) {
        add(out, "type", Value("auto"), alloc);
    } else if (tool_choice->IsString()) {
        std::string_view c = as_view(*tool_choice);
        if (c == "auto") add(out, "type", Value("auto"), alloc);
        else if (c == "none") add(out, "type", Value("none"), alloc);
        else if (c == "required" || c == "any") add(out, "type", Value("any"), alloc);
        else throw_invalid("tool_choice", "unknown value '" + std::string(c) + "' (expected auto, none or required)");
    } else if (tool_choice->IsObject()) {
        const Value* fn = find_member(*tool_choice, "function");
        std::string_view name = fn ? string_member(*fn, "name") : std::string_view();
        if (string_member(*tool_choice, "type") != "function" || name.empty())
            throw_invalid("tool_choice", "an object tool_choice must be {\"type\":\"function\",\"function\":{\"name\":...}}");
        add(out, "type", Value("tool"), alloc);
        add(out, "name", str(name, alloc), alloc);
    } else {
        throw_invalid("tool_choice", "must be a string or an object");
    }

    bool serial = parallel_tool_calls && parallel_tool_calls->IsBool() && !parallel_tool_calls->GetBool();
    bool none = string_member(out, "type") == "none";
    if (serial && !none) add(out, "disable_parallel_tool_use", Value(true), alloc);
    if (!serial && (!tool_choice || tool_choice->IsNull())) return Value();  // {type:auto} is the default
    return out;
}

}  // namespace nexus::claude
