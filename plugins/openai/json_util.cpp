#include "json_util.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace nexus::openai {

std::string json_string(std::string_view s) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.String(s.data(), rapidjson::SizeType(s.size()));
    return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace nexus::openai
