// The host-table functions over nx_exchange (see nexus.h, "Middleware").
#include "core/exchange.hpp"
#include "core/json_text.hpp"
#include "plugin/abi_objects.hpp"

#include <rapidjson/pointer.h>

#include <strings.h>

namespace {

using nexus::core::DocSlot;

std::string_view sv(nx_str s) { return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view(); }
nx_str nx(std::string_view s) { return nx_str{s.data(), s.size()}; }

DocSlot* slot(nx_exchange* ex, nx_doc doc) {
    if (!ex) return nullptr;
    switch (doc) {
        case NX_DOC_REQUEST: return &ex->request;
        case NX_DOC_RESPONSE: return ex->response.present() ? &ex->response : nullptr;
        case NX_DOC_CHUNK: return ex->chunk.present() ? &ex->chunk : nullptr;
        default: return nullptr;
    }
}

// The string values a redactor may rewrite, in document order.
void collect_texts(rapidjson::Value& root, nx_doc doc, std::vector<rapidjson::Value*>& out) {
    auto add_content = [&](rapidjson::Value& content) {
        if (content.IsString()) {
            out.push_back(&content);
        } else if (content.IsArray()) {
            for (auto& part : content.GetArray()) {
                if (!part.IsObject()) continue;
                auto t = part.FindMember("text");
                if (t != part.MemberEnd() && t->value.IsString()) out.push_back(&t->value);
            }
        }
    };
    if (!root.IsObject()) return;
    if (doc == NX_DOC_REQUEST) {
        auto msgs = root.FindMember("messages");
        if (msgs != root.MemberEnd() && msgs->value.IsArray())
            for (auto& m : msgs->value.GetArray()) {
                if (!m.IsObject()) continue;
                auto c = m.FindMember("content");
                if (c != m.MemberEnd()) add_content(c->value);
            }
        auto input = root.FindMember("input");  // embeddings
        if (input != root.MemberEnd()) {
            if (input->value.IsString()) out.push_back(&input->value);
            else if (input->value.IsArray())
                for (auto& v : input->value.GetArray())
                    if (v.IsString()) out.push_back(&v);
        }
        return;
    }
    auto choices = root.FindMember("choices");
    if (choices == root.MemberEnd() || !choices->value.IsArray()) return;
    const char* field = doc == NX_DOC_CHUNK ? "delta" : "message";
    for (auto& ch : choices->value.GetArray()) {
        if (!ch.IsObject()) continue;
        auto m = ch.FindMember(field);
        if (m == ch.MemberEnd() || !m->value.IsObject()) continue;
        auto c = m->value.FindMember("content");
        if (c != m->value.MemberEnd()) add_content(c->value);
    }
}

const std::vector<rapidjson::Value*>& texts(nx_exchange* ex, nx_doc doc) {
    static const std::vector<rapidjson::Value*> kNone;
    DocSlot* s = slot(ex, doc);
    if (!s) return kNone;
    auto* d = s->dom();
    if (!d) return kNone;
    auto& cache = ex->text_cache[doc - NX_DOC_REQUEST];
    if (cache.generation != s->generation()) {
        cache.values.clear();
        collect_texts(*d, doc, cache.values);
        cache.generation = s->generation();
    }
    return cache.values;
}

nx_status doc_json(nx_exchange* ex, nx_doc doc, nx_str* out) {
    DocSlot* s = slot(ex, doc);
    if (!s || !out) return NX_ERR_INVALID;
    *out = nx(s->text());
    return NX_OK;
}

nx_status doc_get(nx_exchange* ex, nx_doc doc, nx_str pointer, nx_buf* out) {
    DocSlot* s = slot(ex, doc);
    if (!s || !out) return NX_ERR_INVALID;
    auto* d = s->dom();
    if (!d) return NX_ERR_INVALID;
    rapidjson::Pointer p(pointer.ptr ? pointer.ptr : "", pointer.len);
    if (!p.IsValid()) return NX_ERR_INVALID;
    const rapidjson::Value* v = p.Get(*d);
    if (!v) return NX_ERR_INVALID;
    nexus::core::append_json(*v, out->data);
    return NX_OK;
}

nx_status doc_set(nx_exchange* ex, nx_doc doc, nx_str pointer, nx_str json_value) {
    DocSlot* s = slot(ex, doc);
    if (!s) return NX_ERR_INVALID;
    auto* d = s->dom();
    if (!d) return NX_ERR_INVALID;
    rapidjson::Pointer p(pointer.ptr ? pointer.ptr : "", pointer.len);
    if (!p.IsValid()) return NX_ERR_INVALID;
    rapidjson::Document value(&d->GetAllocator());
    if (!nexus::core::parse_json(sv(json_value), value, nullptr)) return NX_ERR_INVALID;
    p.Set(*d, value);  // moves `value`, allocated from the target's allocator
    s->mark_changed();
    s->structure_changed();
    return NX_OK;
}

size_t text_count(nx_exchange* ex, nx_doc doc) { return texts(ex, doc).size(); }

nx_status text_get(nx_exchange* ex, nx_doc doc, size_t index, nx_str* out) {
    const auto& t = texts(ex, doc);
    if (index >= t.size() || !out) return NX_ERR_INVALID;
    *out = nx_str{t[index]->GetString(), t[index]->GetStringLength()};
    return NX_OK;
}

nx_status text_set(nx_exchange* ex, nx_doc doc, size_t index, nx_str text) {
    const auto& t = texts(ex, doc);
    if (index >= t.size()) return NX_ERR_INVALID;
    DocSlot* s = slot(ex, doc);
    t[index]->SetString(text.ptr ? text.ptr : "", rapidjson::SizeType(text.len), s->dom()->GetAllocator());
    s->mark_changed();
    return NX_OK;
}

nx_status request_header(nx_exchange* ex, nx_str name, nx_str* out) {
    if (!ex || !ex->request_headers || !out) return NX_ERR_INVALID;
    auto v = nexus::net::find_header(*ex->request_headers, sv(name));
    if (!v) return NX_ERR;
    *out = nx(*v);
    return NX_OK;
}

nx_status response_header_set(nx_exchange* ex, nx_str name, nx_str value) {
    if (!ex || !name.ptr || name.len == 0) return NX_ERR_INVALID;
    std::string n(sv(name)), v(sv(value));
    if (n.find_first_of("\r\n:") != std::string::npos || v.find_first_of("\r\n") != std::string::npos)
        return NX_ERR_INVALID;
    for (auto& [k, val] : ex->response_headers)
        if (strcasecmp(k.c_str(), n.c_str()) == 0) {
            val = std::move(v);
            return NX_OK;
        }
    ex->response_headers.emplace_back(std::move(n), std::move(v));
    return NX_OK;
}

nx_status attr_get(nx_exchange* ex, nx_str name, nx_str* out) {
    if (!ex || !out) return NX_ERR_INVALID;
    const std::string* v = ex->attr(sv(name));
    if (!v) return NX_ERR;
    *out = nx(*v);
    return NX_OK;
}

nx_status attr_set(nx_exchange* ex, nx_str name, nx_str value) {
    if (!ex || !name.ptr || name.len == 0) return NX_ERR_INVALID;
    for (size_t i = 0; i < ex->readonly_attrs && i < ex->attrs.size(); ++i)
        if (ex->attrs[i].first == sv(name)) return NX_ERR_INVALID;
    ex->set_attr(std::string(sv(name)), std::string(sv(value)));
    return NX_OK;
}

nx_status respond(nx_exchange* ex, int32_t status, nx_str canonical_json) {
    if (!ex || status < 200 || status > 599) return NX_ERR_INVALID;
    rapidjson::Document d;
    if (!nexus::core::parse_json(sv(canonical_json), d, nullptr) || !d.IsObject()) return NX_ERR_INVALID;
    ex->has_respond = true;
    ex->respond_status = status;
    ex->respond_body.assign(sv(canonical_json));
    return NX_OK;
}

nx_status reject(nx_exchange* ex, int32_t status, nx_str type, nx_str message) {
    if (!ex || status < 400 || status > 599) return NX_ERR_INVALID;
    ex->has_reject = true;
    ex->reject_error.status = status;
    ex->reject_error.type = type.len ? std::string(sv(type)) : nexus::core::type_for_status(status);
    ex->reject_error.message.assign(sv(message));
    return NX_OK;
}

void resume(nx_exchange* ex, nx_filter_status status) {
    if (!ex) return;
    std::function<void(nx_filter_status)> fn;
    {
        std::lock_guard<std::mutex> lock(ex->resume_mu);
        fn = std::move(ex->on_resume);
        ex->on_resume = nullptr;
    }
    if (fn) fn(status);
}

}  // namespace

const std::string* nx_exchange::attr(std::string_view name) const {
    for (const auto& [k, v] : attrs)
        if (k == name) return &v;
    return nullptr;
}

void nx_exchange::set_attr(std::string name, std::string value) {
    for (auto& [k, v] : attrs)
        if (k == name) {
            v = std::move(value);
            return;
        }
    attrs.emplace_back(std::move(name), std::move(value));
}

namespace nexus::core {

void install_exchange_api(nx_host_api& api) {
    api.doc_json = doc_json;
    api.doc_get = doc_get;
    api.doc_set = doc_set;
    api.text_count = text_count;
    api.text_get = text_get;
    api.text_set = text_set;
    api.request_header = request_header;
    api.response_header_set = response_header_set;
    api.attr_get = attr_get;
    api.attr_set = attr_set;
    api.respond = respond;
    api.reject = reject;
    api.resume = resume;
}

}  // namespace nexus::core
