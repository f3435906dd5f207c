import WireFormats

/// Upstream bodies from /work/shared/real-traffic (see its INDEX.md for provenance and licences),
/// byte for byte as recorded: `application/vnd.amazon.eventstream` frames, base64 here.
enum BedrockRealCaptures {
    /// `bedrock/converse-stream-text-sigv4.ruby-vcr.yml` (us.amazon.nova-2-lite-v1:0): text deltas, an empty final delta, end_turn, metadata usage.
    static let streamText = [UInt8](base64Chunks: [
            "AAAAlwAAAFKDYRSxCzpldmVudC10eXBlBwAMbWVzc2FnZVN0YXJ0DTpjb250ZW50LXR5cGUHABBhcHBsaWNhdGlvbi9qc29uDTpt",
            "ZXNzYWdlLXR5cGUHAAVldmVudHsicCI6ImFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6Iiwicm9sZSI6ImFzc2lzdGFudCJ9G/AF",
            "rwAAAMMAAABXPpiJNQs6ZXZlbnQtdHlwZQcAEWNvbnRlbnRCbG9ja0RlbHRhDTpjb250ZW50LXR5cGUHABBhcHBsaWNhdGlvbi9q",
            "c29uDTptZXNzYWdlLXR5cGUHAAVldmVudHsiY29udGVudEJsb2NrSW5kZXgiOjAsImRlbHRhIjp7InRleHQiOiJTdXJlIn0sInAi",
            "OiJhYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ekFCQ0RFRkdISUpLTCJ9l2/LvQAAAMoAAABXM4jrRAs6ZXZlbnQtdHlwZQcAEWNv",
            "bnRlbnRCbG9ja0RlbHRhDTpjb250ZW50LXR5cGUHABBhcHBsaWNhdGlvbi9qc29uDTptZXNzYWdlLXR5cGUHAAVldmVudHsiY29u",
            "dGVudEJsb2NrSW5kZXgiOjAsImRlbHRhIjp7InRleHQiOiIhIEhlcmUgaXMifSwicCI6ImFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3",
            "eHl6QUJDREVGR0hJSktMTU4ifdVi4qcAAADRAAAAVyS4TdcLOmV2ZW50LXR5cGUHABFjb250ZW50QmxvY2tEZWx0YQ06Y29udGVu",
            "dC10eXBlBwAQYXBwbGljYXRpb24vanNvbg06bWVzc2FnZS10eXBlBwAFZXZlbnR7ImNvbnRlbnRCbG9ja0luZGV4IjowLCJkZWx0",
            "YSI6eyJ0ZXh0IjoiIHRoZSBjb3VudCJ9LCJwIjoiYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXpBQkNERUZHSElKS0xNTk9QUVJT",
            "VCJ9GzzZvgAAAMcAAABXyxgv9Qs6ZXZlbnQtdHlwZQcAEWNvbnRlbnRCbG9ja0RlbHRhDTpjb250ZW50LXR5cGUHABBhcHBsaWNh",
            "dGlvbi9qc29uDTptZXNzYWdlLXR5cGUHAAVldmVudHsiY29udGVudEJsb2NrSW5kZXgiOjAsImRlbHRhIjp7InRleHQiOiIgZnJv",
            "bSAxIHRvIDMifSwicCI6ImFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJDREVGR0gifcATAvsAAADXAAAAV6v4uHcLOmV2ZW50",
            "LXR5cGUHABFjb250ZW50QmxvY2tEZWx0YQ06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNvbg06bWVzc2FnZS10eXBlBwAF",
            "ZXZlbnR7ImNvbnRlbnRCbG9ja0luZGV4IjowLCJkZWx0YSI6eyJ0ZXh0IjoiOlxuXG4xICBcbiJ9LCJwIjoiYWJjZGVmZ2hpamts",
            "bW5vcHFyc3R1dnd4eXpBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWiJ9/6ogLQAAAMoAAABXM4jrRAs6ZXZlbnQtdHlwZQcAEWNv",
            "bnRlbnRCbG9ja0RlbHRhDTpjb250ZW50LXR5cGUHABBhcHBsaWNhdGlvbi9qc29uDTptZXNzYWdlLXR5cGUHAAVldmVudHsiY29u",
            "dGVudEJsb2NrSW5kZXgiOjAsImRlbHRhIjp7InRleHQiOiIyICBcbjMifSwicCI6ImFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6",
            "QUJDREVGR0hJSktMTU5PUFEife4ym0gAAACpAAAAV+0a5tkLOmV2ZW50LXR5cGUHABFjb250ZW50QmxvY2tEZWx0YQ06Y29udGVu",
            "dC10eXBlBwAQYXBwbGljYXRpb24vanNvbg06bWVzc2FnZS10eXBlBwAFZXZlbnR7ImNvbnRlbnRCbG9ja0luZGV4IjowLCJkZWx0",
            "YSI6eyJ0ZXh0IjoiIn0sInAiOiJhYmNkZWZnaGlqa2xtbm9wIn1/e0R8AAAArQAAAFZvnXCPCzpldmVudC10eXBlBwAQY29udGVu",
            "dEJsb2NrU3RvcA06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNvbg06bWVzc2FnZS10eXBlBwAFZXZlbnR7ImNvbnRlbnRC",
            "bG9ja0luZGV4IjowLCJwIjoiYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXpBQkNERUZHSElKS0xNTk8ifcKfBB4AAACJAAAAUcW4",
            "bOgLOmV2ZW50LXR5cGUHAAttZXNzYWdlU3RvcA06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNvbg06bWVzc2FnZS10eXBl",
            "BwAFZXZlbnR7InAiOiJhYmNkZWZnaCIsInN0b3BSZWFzb24iOiJlbmRfdHVybiJ9YzmvLQAAAPsAAABOy6LSsgs6ZXZlbnQtdHlw",
            "ZQcACG1ldGFkYXRhDTpjb250ZW50LXR5cGUHABBhcHBsaWNhdGlvbi9qc29uDTptZXNzYWdlLXR5cGUHAAVldmVudHsibWV0cmlj",
            "cyI6eyJsYXRlbmN5TXMiOjQ4MX0sInAiOiJhYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ekFCQ0RFRkdISUpLTCIsInVzYWdlIjp7",
            "ImlucHV0VG9rZW5zIjo1Mywib3V0cHV0VG9rZW5zIjoyMSwic2VydmVyVG9vbFVzYWdlIjp7fSwidG90YWxUb2tlbnMiOjc0fX0x",
            "4XsR"
    ])

    /// `bedrock/converse-stream-tools-multiturn-sigv4.ruby-vcr.yml`, answer 1: contentBlockStart toolUse, one input delta, tool_use.
    static let streamToolUse = [UInt8](base64Chunks: [
            "AAAAtgAAAFJ/wBIFCzpldmVudC10eXBlBwAMbWVzc2FnZVN0YXJ0DTpjb250ZW50LXR5cGUHABBhcHBsaWNhdGlvbi9qc29uDTpt",
            "ZXNzYWdlLXR5cGUHAAVldmVudHsicCI6ImFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJDREVGR0hJSktMTU5PUFFSU1RVVldY",
            "WVowMTIzNCIsInJvbGUiOiJhc3Npc3RhbnQifURlAvAAAADrAAAAV88p7fALOmV2ZW50LXR5cGUHABFjb250ZW50QmxvY2tTdGFy",
            "dA06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNvbg06bWVzc2FnZS10eXBlBwAFZXZlbnR7ImNvbnRlbnRCbG9ja0luZGV4",
            "IjowLCJwIjoiYWJjZGVmZ2hpamtsbW5vcHFyIiwic3RhcnQiOnsidG9vbFVzZSI6eyJuYW1lIjoid2VhdGhlciIsInRvb2xVc2VJ",
            "ZCI6InRvb2x1c2VfaHN5ejdPMFFxa2hkVEhycFFoVllYaiJ9fX1OaPGsAAABDQAAAFej4QwqCzpldmVudC10eXBlBwARY29udGVu",
            "dEJsb2NrRGVsdGENOmNvbnRlbnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pzb24NOm1lc3NhZ2UtdHlwZQcABWV2ZW50eyJjb250ZW50",
            "QmxvY2tJbmRleCI6MCwiZGVsdGEiOnsidG9vbFVzZSI6eyJpbnB1dCI6IntcImxhdGl0dWRlXCI6XCI1Mi41MjAwXCIsXCJsb25n",
            "aXR1ZGVcIjpcIjEzLjQwNTBcIn0ifX0sInAiOiJhYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ekFCQ0RFRkdISUpLTE1OT1BRUlNU",
            "VVZXWFkifSnX544AAACpAAAAVpod1k8LOmV2ZW50LXR5cGUHABBjb250ZW50QmxvY2tTdG9wDTpjb250ZW50LXR5cGUHABBhcHBs",
            "aWNhdGlvbi9qc29uDTptZXNzYWdlLXR5cGUHAAVldmVudHsiY29udGVudEJsb2NrSW5kZXgiOjAsInAiOiJhYmNkZWZnaGlqa2xt",
            "bm9wcXJzdHV2d3h5ekFCQ0RFRkdISUpLIn1hlyCjAAAAlAAAAFFdyD/bCzpldmVudC10eXBlBwALbWVzc2FnZVN0b3ANOmNvbnRl",
            "bnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pzb24NOm1lc3NhZ2UtdHlwZQcABWV2ZW50eyJwIjoiYWJjZGVmZ2hpamtsbW5vcHFycyIs",
            "InN0b3BSZWFzb24iOiJ0b29sX3VzZSJ9Y6GvsQAAAOYAAABOU9KBgQs6ZXZlbnQtdHlwZQcACG1ldGFkYXRhDTpjb250ZW50LXR5",
            "cGUHABBhcHBsaWNhdGlvbi9qc29uDTptZXNzYWdlLXR5cGUHAAVldmVudHsibWV0cmljcyI6eyJsYXRlbmN5TXMiOjYwNH0sInAi",
            "OiJhYmNkZWZnaGlqa2xtbiIsInVzYWdlIjp7ImlucHV0VG9rZW5zIjo5ODYsIm91dHB1dFRva2VucyI6NDIsInNlcnZlclRvb2xV",
            "c2FnZSI6e30sInRvdGFsVG9rZW5zIjoxMDI4fX0s284W"
    ])

    /// `bedrock/converse-stream-tools-multiturn-sigv4.ruby-vcr.yml`, answer 2: the text answer after the tool result.
    static let streamTextAfterToolResult = [UInt8](base64Chunks: [
            "AAAArgAAAFIvUM5GCzpldmVudC10eXBlBwAMbWVzc2FnZVN0YXJ0DTpjb250ZW50LXR5cGUHABBhcHBsaWNhdGlvbi9qc29uDTpt",
            "ZXNzYWdlLXR5cGUHAAVldmVudHsicCI6ImFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJDREVGR0hJSktMTU5PUFFSU1RVVlci",
            "LCJyb2xlIjoiYXNzaXN0YW50In2uE8nsAAAAxwAAAFfLGC/1CzpldmVudC10eXBlBwARY29udGVudEJsb2NrRGVsdGENOmNvbnRl",
            "bnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pzb24NOm1lc3NhZ2UtdHlwZQcABWV2ZW50eyJjb250ZW50QmxvY2tJbmRleCI6MCwiZGVs",
            "dGEiOnsidGV4dCI6IlRoZSBjdXJyZW50IHdlYXRoZXIgaW4gQmVybGluICgifSwicCI6ImFiY2RlZmdoaWprbG1ubyJ9Na2KRwAA",
            "ANoAAABXU2h8xgs6ZXZlbnQtdHlwZQcAEWNvbnRlbnRCbG9ja0RlbHRhDTpjb250ZW50LXR5cGUHABBhcHBsaWNhdGlvbi9qc29u",
            "DTptZXNzYWdlLXR5cGUHAAVldmVudHsiY29udGVudEJsb2NrSW5kZXgiOjAsImRlbHRhIjp7InRleHQiOiI1Mi41MjAwLCJ9LCJw",
            "IjoiYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXpBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWjAxMjM0In3GN27OAAAAtgAAAFcP",
            "quaKCzpldmVudC10eXBlBwARY29udGVudEJsb2NrRGVsdGENOmNvbnRlbnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pzb24NOm1lc3Nh",
            "Z2UtdHlwZQcABWV2ZW50eyJjb250ZW50QmxvY2tJbmRleCI6MCwiZGVsdGEiOnsidGV4dCI6IiAxMy40MDUwKSJ9LCJwIjoiYWJj",
            "ZGVmZ2hpamtsbW5vcHFyc3QifUiVXMsAAADMAAAAV7zIHuQLOmV2ZW50LXR5cGUHABFjb250ZW50QmxvY2tEZWx0YQ06Y29udGVu",
            "dC10eXBlBwAQYXBwbGljYXRpb24vanNvbg06bWVzc2FnZS10eXBlBwAFZXZlbnR7ImNvbnRlbnRCbG9ja0luZGV4IjowLCJkZWx0",
            "YSI6eyJ0ZXh0IjoiIGlzICoqIn0sInAiOiJhYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ekFCQ0RFRkdISUpLTE1OT1BRUlMifesM",
            "XAUAAADfAAAAV5uI87YLOmV2ZW50LXR5cGUHABFjb250ZW50QmxvY2tEZWx0YQ06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24v",
            "anNvbg06bWVzc2FnZS10eXBlBwAFZXZlbnR7ImNvbnRlbnRCbG9ja0luZGV4IjowLCJkZWx0YSI6eyJ0ZXh0IjoiMTXCsEMqKiB3",
            "aXRoIn0sInAiOiJhYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ekFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaMDEyMzQ1In1b0yw0",
            "AAAArgAAAFdfOjrJCzpldmVudC10eXBlBwARY29udGVudEJsb2NrRGVsdGENOmNvbnRlbnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pz",
            "b24NOm1lc3NhZ2UtdHlwZQcABWV2ZW50eyJjb250ZW50QmxvY2tJbmRleCI6MCwiZGVsdGEiOnsidGV4dCI6IiBhIHdpbmQifSwi",
            "cCI6ImFiY2RlZmdoaWprbG1uIn1Jk88uAAAAqQAAAFftGubZCzpldmVudC10eXBlBwARY29udGVudEJsb2NrRGVsdGENOmNvbnRl",
            "bnQtdHlwZQcAEGFwcGxpY2F0aW9uL2pzb24NOm1lc3NhZ2UtdHlwZQcABWV2ZW50eyJjb250ZW50QmxvY2tJbmRleCI6MCwiZGVs",
            "dGEiOnsidGV4dCI6IiBzcGVlZCJ9LCJwIjoiYWJjZGVmZ2hpaiJ9euiwDQAAAMwAAABXvMge5As6ZXZlbnQtdHlwZQcAEWNvbnRl",
            "bnRCbG9ja0RlbHRhDTpjb250ZW50LXR5cGUHABBhcHBsaWNhdGlvbi9qc29uDTptZXNzYWdlLXR5cGUHAAVldmVudHsiY29udGVu",
            "dEJsb2NrSW5kZXgiOjAsImRlbHRhIjp7InRleHQiOiIgb2YgKioxMCBrbS9oKiouIn0sInAiOiJhYmNkZWZnaGlqa2xtbm9wcXJz",
            "dHV2d3h5ekFCQ0RFRkdISSJ9GFfb7QAAALgAAABWx51ofQs6ZXZlbnQtdHlwZQcAEGNvbnRlbnRCbG9ja1N0b3ANOmNvbnRlbnQt",
            "dHlwZQcAEGFwcGxpY2F0aW9uL2pzb24NOm1lc3NhZ2UtdHlwZQcABWV2ZW50eyJjb250ZW50QmxvY2tJbmRleCI6MCwicCI6ImFi",
            "Y2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoifYueyaQAAACNAAAAUTA4yigLOmV2ZW50",
            "LXR5cGUHAAttZXNzYWdlU3RvcA06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNvbg06bWVzc2FnZS10eXBlBwAFZXZlbnR7",
            "InAiOiJhYmNkZWZnaGlqa2wiLCJzdG9wUmVhc29uIjoiZW5kX3R1cm4ifS7bVN0AAAD9AAAATkTiJxILOmV2ZW50LXR5cGUHAAht",
            "ZXRhZGF0YQ06Y29udGVudC10eXBlBwAQYXBwbGljYXRpb24vanNvbg06bWVzc2FnZS10eXBlBwAFZXZlbnR7Im1ldHJpY3MiOnsi",
            "bGF0ZW5jeU1zIjo1NDd9LCJwIjoiYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXpBQkNERUZHSElKIiwidXNhZ2UiOnsiaW5wdXRU",
            "b2tlbnMiOjEwNzgsIm91dHB1dFRva2VucyI6MzMsInNlcnZlclRvb2xVc2FnZSI6e30sInRvdGFsVG9rZW5zIjoxMTExfX28spIG"
    ])
}
