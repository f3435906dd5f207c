import WireFormats

// Generated from /work/shared/real-traffic/anthropic (see its INDEX.md for provenance and
// licences) by extracting each response body verbatim. Real captures, not hand-written:
// they carry the real API's quirks (trailing spaces inside `data:` lines, pings between
// deltas, `caller` fields on tool_use blocks).

enum AnthropicCaptures {
    /// `messages-stream-text.chunks.txt`: one data payload per line, no SSE envelope (vercel/ai fixture).
    static let streamText = #"""
{"type":"message_start","message":{"model":"claude-sonnet-4-5-20250929","id":"msg_01QC4g3HwBThD4BaNtBckFDJ","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard","inference_geo":"not_available"}}}
{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}
{"type":"ping"}
{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}
{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"! I"}}
{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"'m doing well, thank you for asking"}}
{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":". How are you doing today?"}}
{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" Is"}}
{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there anything I can help you with?"}}
{"type":"content_block_stop","index":0}
{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":30}}
{"type":"message_stop"}
"""#

    /// `messages-stream-thinking.vcrpy.yaml`: SSE with event names; thinking_delta, signature_delta, then text.
    static let streamThinking = #"""
event: message_start
data: {"type":"message_start","message":{"model":"claude-haiku-4-5-20251001","id":"msg_01Eg56TYRnKCEgWtZu2yjR1t","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"stop_details":null,"usage":{"input_tokens":46,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":3,"service_tier":"standard","inference_geo":"not_available"}}   }

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}      }

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"The user wants"}         }

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":" two names for a pet pelican, and they want me to be brief. I'll suggest two names that would suit a pelican well."}      }

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"\n\nSome good options:\n- Pelé (play on pelican)\n- Pouch"}           }

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":" (referencing their bill pouch)\n- Captain Beak\n- Squ"} }

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"irt\n- Scoop\n- Wing\n\nLet me give two brief, catchy names:"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":""}        }

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EuYDCmMIDBgCKkC05Zda4P+Cdk/LQKE+Aol4ZY3EY4wLDrf8XcApz2PiqrxiRjS7uY1kGtZ63vVlaVmtuIpdsHbkdfGHb9AsBYw+MhljbGF1ZGUtaGFpa3UtNC01LTIwMjUxMDAxOAASDAXGiw23anViCe75HBoMATySwgVJ0A405/0FIjDbVX0lAn7rEq/ejcuOZWDihLSbS9KGihD2QsWmXzp2Ly5ZD5vtKOcKvhEDQ0PCeVkqsALmnx7FhoJ7TQQyomwwFY+zA/Sft9n7u3lNE/RzbZMF4jmvo9i1vtNLETK18iSdCAhSy+NJLFRK/vcw6sVaDNrEMGgIadv5iZ0Jmx+iHyR8sXbasYDMbN07/ype7JGpKxHCdQOrNA7plS39Yy5l7hqJz4ueYoCpMxc+IkNY+TCyMpKwGxYqKSUdElyLr0Ko3vXtdLJBTJQuMtU+cz+UPHkpTbGRPntg/hBvNztCjlqqeM6PKoE8rsDJMx0+q1eOrFPC9SYgCZqSGHlSHoOexnfkrN2aTlZjcBcFblXq76bKF1YHINp3uL+jByhp91XFSkhF+b43BC9PDtRUYKw3wT+IZlEI6V3GppKBDSa8L0Sgm8m1Bb2PYvi3oIv+LDpUImrMckjemNZmBeGcEZQ4FjZiGAE="}   }

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}         }

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"1. **Pouch** - references their iconic bill pouch\n2. **Pelé** - play"}        }

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"ful take on \"pelican\""}}

event: content_block_stop
data: {"type":"content_block_stop","index":1              }

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null,"stop_details":null},"usage":{"input_tokens":46,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":133}            }

event: message_stop
data: {"type":"message_stop"               }
"""#

    /// `messages-stream-tool-use.vcrpy.yaml`: SSE; one tool_use whose input is {} (only an empty partial_json).
    static let streamToolUseNoArguments = #"""
event: message_start
data: {"type":"message_start","message":{"model":"claude-haiku-4-5-20251001","id":"msg_01BnVamfF7ccY9Qt3nZHAyaG","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"stop_details":null,"usage":{"input_tokens":543,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":40,"service_tier":"standard","inference_geo":"not_available"}}        }

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_01CzN6riCPqw4pVSuTd9Dwn7","name":"pelican_name_generator","input":{},"caller":{"type":"direct"}}     }

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""} }

event: content_block_stop
data: {"type":"content_block_stop","index":0         }

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null,"stop_details":null},"usage":{"input_tokens":543,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":40}            }

event: message_stop
data: {"type":"message_stop"             }
"""#

    /// `messages-stream-tools-2turn.ruby-vcr.yml (interaction 1)`: SSE; text block, then tool_use streamed as input_json_delta fragments.
    static let streamTextThenToolUse = #"""
event: message_start
data: {"type":"message_start","message":{"model":"claude-sonnet-4-20250514","id":"msg_01SXga3CtjRBu4K4uW493ZQ6","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":391,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":8,"service_tier":"standard"}}   }

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}      }

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"I'll run the 'date'"}             }

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" command for you."}     }

event: ping
data: {"type": "ping"}

event: content_block_stop
data: {"type":"content_block_stop","index":0             }

event: ping
data: {"type": "ping"}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01Kke3CdMmWRuRQNEa89f3sM","name":"system","input":{}}              }

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}        }

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"comman"}   }

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"d\": \"dat"}          }

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"e\"}"}      }

event: content_block_stop
data: {"type":"content_block_stop","index":1     }

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":391,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":64}        }

event: message_stop
data: {"type":"message_stop"}
"""#

    /// `messages-stream-tools-2turn.ruby-vcr.yml (interaction 2)`: SSE; the answer after the tool result.
    static let streamToolResultAnswer = #"""
event: message_start
data: {"type":"message_start","message":{"model":"claude-sonnet-4-20250514","id":"msg_01FMQ3QficpK2QyBg8XaXX8A","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":459,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":2,"service_tier":"standard"}}       }

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}  }

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"The `"}   }

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"date` command has been execute"}     }

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"d successfully. This command displays the current system"}            }

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" date and time."}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" Since I can see the comman"}   }

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"d ran successfully but don't have the actual output visible"}          }

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" here, the command woul"}        }

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"d typically show something like:\n\n```\nMon"}           }

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" Dec 16 10"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":":30:45 UTC"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" 2024\n```\n\n("}     }

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"The exact format and timezone may vary depending on your"}     }

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" system configuration)"}  }

event: content_block_stop
data: {"type":"content_block_stop","index":0  }

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":459,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":84}            }

event: message_stop
data: {"type":"message_stop"        }
"""#

    /// `messages-parallel-tools.vcrpy.yaml (interaction 1)`: non-stream; text then four parallel tool_use blocks.
    static let parallelToolUseMessage = #"""
{"content":[{"text":"I'll help you find out who is the youngest by retrieving information about each family member. I'll retrieve their entity information to compare their ages.","type":"text"},{"id":"toolu_0167cfEnoQaPviGdVXA95zcu","input":{"name":"Alice"},"name":"retrieve_entity_info","type":"tool_use"},{"id":"toolu_01EEe2V5HD1Ac4rKiUR4HD2T","input":{"name":"Bob"},"name":"retrieve_entity_info","type":"tool_use"},{"id":"toolu_01XFyAjstT3966qvRynZyVPo","input":{"name":"Charlie"},"name":"retrieve_entity_info","type":"tool_use"},{"id":"toolu_013mnQZbgtK2oe3Mo3XKJsx3","input":{"name":"Daisy"},"name":"retrieve_entity_info","type":"tool_use"}],"id":"msg_011S3wxtqL5CVescWqS3zeg2","model":"claude-haiku-4-5-20251001","role":"assistant","stop_reason":"tool_use","stop_sequence":null,"type":"message","usage":{"cache_creation":{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":0},"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"input_tokens":423,"output_tokens":202,"service_tier":"standard"}}
"""#

    /// `messages-401.ruby-vcr.yml`: authentication_error body.
    static let error401 = #"""
{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CeCGmBjaWkq37Sf5iU7so"}
"""#

    /// `messages-400-invalid-effort.vcrpy.yaml`: invalid_request_error body.
    static let error400 = #"""
{"error":{"message":"This model does not support effort level 'xhigh'. Supported levels: high, low, max, medium.","type":"invalid_request_error"},"request_id":"req_011Ca7jT9AHpgXgdv8igm4z9","type":"error"}
"""#

}
