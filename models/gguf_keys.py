"""GGUF metadata keys that Tomoshibi writes beyond llama.cpp's own (``general.*``, ``tokenizer.*``...).

llama.cpp ignores keys it does not know, so a file carrying these still loads in mainline llama.cpp.
"""

# The original SentencePiece model (base64 of the .model bytes). When present, the engine tokenizes
# and detokenizes with ``sentencepiece`` so ids match the checkpoint's own tokenizer exactly.
SPM_MODEL = "tomoshibi.tokenizer.sentencepiece_model"
# A marker the model uses instead of a newline (rinna: "<NL>"): "\n" → marker in prompts, back in output.
NEWLINE_MARKER = "tomoshibi.newline_marker"
# A built-in chat format name (models.chat_templates) to use when the file has no Jinja template.
CHAT_FORMAT = "tomoshibi.chat_format"
# Provenance of a conversion: a JSON object (source, quantization, profile, date, tomoshibi version).
CONVERSION = "tomoshibi.conversion"
# How a file was quantized (quant, profile, imatrix, date, version). Separate from CONVERSION because
# llama.cpp's quantizer can only set short string values (< 128 bytes) when it writes its output.
QUANTIZATION = CONVERSION + ".quantization"
