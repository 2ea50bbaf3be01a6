<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>ApiPage</name>
        <message>
            <source>Port</source>
            <translation>Port</translation>
        </message>
        <message>
            <source>API key</source>
            <translation>API key</translation>
        </message>
        <message>
            <source>Allowed web origins (CORS)</source>
            <translation>Allowed web origins (CORS)</translation>
        </message>
        <message>
            <source>None (clients on this computer need no key)</source>
            <translation>None (clients on this computer need no key)</translation>
        </message>
        <message>
            <source>The server listens on 127.0.0.1 only. With a key, clients send 'Authorization: Bearer KEY'. Leave the origins empty unless a web page must call the API. Changes apply the next time the server starts.</source>
            <translation>The server listens on 127.0.0.1 only. With a key, clients send 'Authorization: Bearer KEY'. Leave the origins empty unless a web page must call the API. Changes apply the next time the server starts.</translation>
        </message>
    </context>
    <context>
        <name>ApiSection</name>
        <message>
            <source>OpenAI-compatible, on this computer only. It shares the loaded model with the chat: they take turns. Port, API key and CORS are in Settings.</source>
            <translation>OpenAI-compatible, on this computer only. It shares the loaded model with the chat: they take turns. Port, API key and CORS are in Settings.</translation>
        </message>
    </context>
    <context>
        <name>ApiToggle</name>
        <message>
            <source>Local API server</source>
            <translation>Local API server</translation>
        </message>
        <message>
            <source>Let other programs on this computer use the model like an OpenAI endpoint.</source>
            <translation>Let other programs on this computer use the model like an OpenAI endpoint.</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>Copy</translation>
        </message>
        <message>
            <source>Copy the address</source>
            <translation>Copy the address</translation>
        </message>
        <message>
            <source>Off</source>
            <translation>Off</translation>
        </message>
        <message>
            <source>Starting…</source>
            <translation>Starting…</translation>
        </message>
        <message>
            <source>Stopping…</source>
            <translation>Stopping…</translation>
        </message>
        <message>
            <source>Could not start: %1</source>
            <translation>Could not start: %1</translation>
        </message>
    </context>
    <context>
        <name>Banner</name>
        <message>
            <source>Reload model</source>
            <translation>Reload model</translation>
        </message>
        <message>
            <source>Dismiss</source>
            <translation>Dismiss</translation>
        </message>
    </context>
    <context>
        <name>ChatController</name>
        <message>
            <source>No model is loaded. Load one from the model panel; your message will be answered then.</source>
            <translation>No model is loaded. Load one from the model panel; your message will be answered then.</translation>
        </message>
    </context>
    <context>
        <name>ChatView</name>
        <message>
            <source>Ask anything. Everything stays on this computer: no network is used.</source>
            <translation>Ask anything. Everything stays on this computer: no network is used.</translation>
        </message>
    </context>
    <context>
        <name>ConversationList</name>
        <message>
            <source>New chat</source>
            <translation>New chat</translation>
        </message>
        <message>
            <source>Rename…</source>
            <translation>Rename…</translation>
        </message>
        <message>
            <source>Delete…</source>
            <translation>Delete…</translation>
        </message>
        <message>
            <source>Rename conversation</source>
            <translation>Rename conversation</translation>
        </message>
        <message>
            <source>Title:</source>
            <translation>Title:</translation>
        </message>
        <message>
            <source>Delete conversation</source>
            <translation>Delete conversation</translation>
        </message>
        <message>
            <source>Delete “%1”? This cannot be undone.</source>
            <translation>Delete “%1”? This cannot be undone.</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Delete</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>Start a new conversation</source>
            <translation>Start a new conversation</translation>
        </message>
        <message>
            <source>Search conversations</source>
            <translation>Search conversations</translation>
        </message>
    </context>
    <context>
        <name>ConversationSettings</name>
        <message>
            <source>No preset</source>
            <translation>No preset</translation>
        </message>
        <message>
            <source>Version %1</source>
            <translation>Version %1</translation>
        </message>
        <message>
            <source>Save preset</source>
            <translation>Save preset</translation>
        </message>
        <message>
            <source>Preset name:</source>
            <translation>Preset name:</translation>
        </message>
        <message>
            <source>This conversation</source>
            <translation>This conversation</translation>
        </message>
        <message>
            <source>System prompt</source>
            <translation>System prompt</translation>
        </message>
        <message>
            <source>How the assistant should behave (optional)</source>
            <translation>How the assistant should behave (optional)</translation>
        </message>
        <message>
            <source>Save as preset…</source>
            <translation>Save as preset…</translation>
        </message>
        <message>
            <source>Temperature</source>
            <translation>Temperature</translation>
        </message>
        <message>
            <source>Top P</source>
            <translation>Top P</translation>
        </message>
        <message>
            <source>Top K</source>
            <translation>Top K</translation>
        </message>
        <message>
            <source>Repeat penalty</source>
            <translation>Repeat penalty</translation>
        </message>
        <message>
            <source>Max tokens</source>
            <translation>Max tokens</translation>
        </message>
    </context>
    <context>
        <name>ConversionWizard</name>
        <message>
            <source>Back</source>
            <translation>Back</translation>
        </message>
        <message>
            <source>Next</source>
            <translation>Next</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Close</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation>Finish</translation>
        </message>
        <message>
            <source>Convert a model</source>
            <translation>Convert a model</translation>
        </message>
    </context>
    <context>
        <name>DocumentsPanel</name>
        <message>
            <source>New…</source>
            <translation>New…</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Remove</translation>
        </message>
        <message>
            <source>Collections</source>
            <translation>Collections</translation>
        </message>
        <message>
            <source>File</source>
            <translation>File</translation>
        </message>
        <message>
            <source>State</source>
            <translation>State</translation>
        </message>
        <message>
            <source>Add folder…</source>
            <translation>Add folder…</translation>
        </message>
        <message>
            <source>Add files…</source>
            <translation>Add files…</translation>
        </message>
        <message>
            <source>Update index</source>
            <translation>Update index</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>Search this collection (日本語 or English)…</source>
            <translation>Search this collection (日本語 or English)…</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>Search</translation>
        </message>
        <message>
            <source>Matching passages</source>
            <translation>Matching passages</translation>
        </message>
        <message>
            <source>Create a collection, then add folders or files to it.</source>
            <translation>Create a collection, then add folders or files to it.</translation>
        </message>
        <message numerus="yes">
            <source>%n passage(s)</source>
            <translation>
                <numerusform>%n passage</numerusform>
                <numerusform>%n passages</numerusform>
            </translation>
        </message>
        <message>
            <source>Not indexed: {0}</source>
            <translation>Not indexed: {0}</translation>
        </message>
        <message>
            <source>Some passages are not indexed for search yet: press “Update index”.</source>
            <translation>Some passages are not indexed for search yet: press “Update index”.</translation>
        </message>
        <message numerus="yes">
            <source>%n passage(s) indexed.</source>
            <translation>
                <numerusform>%n passage indexed.</numerusform>
                <numerusform>%n passages indexed.</numerusform>
            </translation>
        </message>
        <message>
            <source>New collection</source>
            <translation>New collection</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>Name:</translation>
        </message>
        <message>
            <source>Remove collection</source>
            <translation>Remove collection</translation>
        </message>
        <message>
            <source>Remove the index of “{0}”? Your files are not touched.</source>
            <translation>Remove the index of “{0}”? Your files are not touched.</translation>
        </message>
        <message>
            <source>Add a folder</source>
            <translation>Add a folder</translation>
        </message>
        <message>
            <source>Add files</source>
            <translation>Add files</translation>
        </message>
        <message>
            <source>Documents (*.txt *.md *.markdown *.pdf *.docx)</source>
            <translation>Documents (*.txt *.md *.markdown *.pdf *.docx)</translation>
        </message>
        <message>
            <source>Create a collection first.</source>
            <translation>Create a collection first.</translation>
        </message>
        <message>
            <source>Loading the embedding model…</source>
            <translation>Loading the embedding model…</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>Cancelling…</translation>
        </message>
        <message>
            <source>Embedding passages: {0} of {1}, about {2} s left</source>
            <translation>Embedding passages: {0} of {1}, about {2} s left</translation>
        </message>
        <message>
            <source>Embedding passages: {0} of {1}</source>
            <translation>Embedding passages: {0} of {1}</translation>
        </message>
        <message>
            <source>Indexing {0} ({1} of {2})</source>
            <translation>Indexing {0} ({1} of {2})</translation>
        </message>
        <message>
            <source>{0} added, {1} updated, {2} removed, {3} unchanged.</source>
            <translation>{0} added, {1} updated, {2} removed, {3} unchanged.</translation>
        </message>
        <message numerus="yes">
            <source>%n file(s) could not be read (see the list).</source>
            <translation>
                <numerusform>%n file could not be read (see the list).</numerusform>
                <numerusform>%n files could not be read (see the list).</numerusform>
            </translation>
        </message>
        <message>
            <source>Indexing was cancelled; what was done is kept. “Update index” goes on.</source>
            <translation>Indexing was cancelled; what was done is kept. “Update index” goes on.</translation>
        </message>
        <message numerus="yes">
            <source>%n passage(s) found.</source>
            <translation>
                <numerusform>%n passage found.</numerusform>
                <numerusform>%n passages found.</numerusform>
            </translation>
        </message>
        <message>
            <source>Documents</source>
            <translation>Documents</translation>
        </message>
    </context>
    <context>
        <name>EvaluationView</name>
        <message>
            <source>Run</source>
            <translation>Run</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>Date</translation>
        </message>
        <message>
            <source>Models</source>
            <translation>Models</translation>
        </message>
        <message>
            <source>Preset</source>
            <translation>Preset</translation>
        </message>
        <message>
            <source>Tomoshibi</source>
            <translation>Tomoshibi</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>Model</translation>
        </message>
        <message>
            <source>Quantization</source>
            <translation>Quantization</translation>
        </message>
        <message>
            <source>Tokens/s</source>
            <translation>Tokens/s</translation>
        </message>
        <message>
            <source>First token</source>
            <translation>First token</translation>
        </message>
        <message>
            <source>Peak memory</source>
            <translation>Peak memory</translation>
        </message>
        <message>
            <source>Checks</source>
            <translation>Checks</translation>
        </message>
        <message>
            <source>Perplexity</source>
            <translation>Perplexity</translation>
        </message>
        <message>
            <source>SHA-256</source>
            <translation>SHA-256</translation>
        </message>
        <message>
            <source>Open report</source>
            <translation>Open report</translation>
        </message>
        <message>
            <source>New evaluation…</source>
            <translation>New evaluation…</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>A model file changed since an earlier run of the same path.</source>
            <translation>A model file changed since an earlier run of the same path.</translation>
        </message>
        <message>
            <source>This file changed since an earlier run: figures are not comparable.</source>
            <translation>This file changed since an earlier run: figures are not comparable.</translation>
        </message>
        <message>
            <source>Models to compare</source>
            <translation>Models to compare</translation>
        </message>
        <message>
            <source>GGUF models (*.gguf)</source>
            <translation>GGUF models (*.gguf)</translation>
        </message>
        <message>
            <source>Run %1 finished.</source>
            <translation>Run %1 finished.</translation>
        </message>
    </context>
    <context>
        <name>InputBox</name>
        <message>
            <source>Message (Enter to send, Shift+Enter for a new line)</source>
            <translation>Message (Enter to send, Shift+Enter for a new line)</translation>
        </message>
        <message>
            <source>Message (%1+Enter to send, Enter for a new line)</source>
            <translation>Message (%1+Enter to send, Enter for a new line)</translation>
        </message>
    </context>
    <context>
        <name>LevelMeter</name>
        <message>
            <source>Microphone level</source>
            <translation>Microphone level</translation>
        </message>
        <message>
            <source>Level: %1 dBFS (peak %2 dBFS)</source>
            <translation>Level: %1 dBFS (peak %2 dBFS)</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Prompt presets</source>
            <translation>Prompt presets</translation>
        </message>
        <message>
            <source>Evaluate models</source>
            <translation>Evaluate models</translation>
        </message>
        <message>
            <source>Documents</source>
            <translation>Documents</translation>
        </message>
        <message>
            <source>Waiting for the model to finish loading…</source>
            <translation>Waiting for the model to finish loading…</translation>
        </message>
        <message>
            <source>Generating… (Esc to stop)</source>
            <translation>Generating… (Esc to stop)</translation>
        </message>
        <message>
            <source>Loading %1…</source>
            <translation>Loading %1…</translation>
        </message>
        <message>
            <source>Ready: %1</source>
            <translation>Ready: %1</translation>
        </message>
        <message>
            <source>No model loaded</source>
            <translation>No model loaded</translation>
        </message>
        <message>
            <source>API: %1</source>
            <translation>API: %1</translation>
        </message>
        <message>
            <source>Tomoshibi</source>
            <translation>Tomoshibi</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>Send</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>Stop</translation>
        </message>
        <message>
            <source>Stop generating (Esc)</source>
            <translation>Stop generating (Esc)</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;File</translation>
        </message>
        <message>
            <source>&amp;Model</source>
            <translation>&amp;Model</translation>
        </message>
        <message>
            <source>New chat</source>
            <translation>New chat</translation>
        </message>
        <message>
            <source>Documents…</source>
            <translation>Documents…</translation>
        </message>
        <message>
            <source>Settings…</source>
            <translation>Settings…</translation>
        </message>
        <message>
            <source>Quit Tomoshibi</source>
            <translation>Quit Tomoshibi</translation>
        </message>
        <message>
            <source>Models…</source>
            <translation>Models…</translation>
        </message>
        <message>
            <source>Convert a model…</source>
            <translation>Convert a model…</translation>
        </message>
        <message>
            <source>Reload model</source>
            <translation>Reload model</translation>
        </message>
        <message>
            <source>Stop generating</source>
            <translation>Stop generating</translation>
        </message>
        <message>
            <source>&amp;Tools</source>
            <translation>&amp;Tools</translation>
        </message>
        <message>
            <source>Prompt presets…</source>
            <translation>Prompt presets…</translation>
        </message>
        <message>
            <source>Evaluate models…</source>
            <translation>Evaluate models…</translation>
        </message>
        <message>
            <source>Local API server</source>
            <translation>Local API server</translation>
        </message>
    </context>
    <context>
        <name>MessageWidget</name>
        <message>
            <source>Copy</source>
            <translation>Copy</translation>
        </message>
        <message>
            <source>Thinking…</source>
            <translation>Thinking…</translation>
        </message>
        <message>
            <source>%1 tokens/s</source>
            <translation>%1 tokens/s</translation>
        </message>
        <message>
            <source>cut off at the length limit</source>
            <translation>cut off at the length limit</translation>
        </message>
        <message>
            <source>stopped</source>
            <translation>stopped</translation>
        </message>
        <message>
            <source>interrupted: the engine stopped</source>
            <translation>interrupted: the engine stopped</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>failed</translation>
        </message>
        <message>
            <source>interrupted</source>
            <translation>interrupted</translation>
        </message>
        <message>
            <source>You</source>
            <translation>You</translation>
        </message>
        <message>
            <source>Assistant</source>
            <translation>Assistant</translation>
        </message>
        <message>
            <source>Copy the whole message</source>
            <translation>Copy the whole message</translation>
        </message>
        <message>
            <source>Edit</source>
            <translation>Edit</translation>
        </message>
        <message>
            <source>Change this message and send it again</source>
            <translation>Change this message and send it again</translation>
        </message>
        <message>
            <source>Regenerate</source>
            <translation>Regenerate</translation>
        </message>
        <message>
            <source>Write this answer again</source>
            <translation>Write this answer again</translation>
        </message>
        <message>
            <source>Save and send</source>
            <translation>Save and send</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
    </context>
    <context>
        <name>ModelManager</name>
        <message>
            <source>(bundled)</source>
            <translation>(bundled)</translation>
        </message>
        <message>
            <source>loaded</source>
            <translation>loaded</translation>
        </message>
        <message>
            <source>Yes</source>
            <translation>Yes</translation>
        </message>
        <message>
            <source>No</source>
            <translation>No</translation>
        </message>
        <message>
            <source>Needs about %1</source>
            <translation>Needs about %1</translation>
        </message>
        <message>
            <source>Delete model</source>
            <translation>Delete model</translation>
        </message>
        <message>
            <source>Delete %1 (%2) from this computer?</source>
            <translation>Delete %1 (%2) from this computer?</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Delete</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>Import a GGUF model</source>
            <translation>Import a GGUF model</translation>
        </message>
        <message>
            <source>GGUF models (*.gguf)</source>
            <translation>GGUF models (*.gguf)</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>Model</translation>
        </message>
        <message>
            <source>Models</source>
            <translation>Models</translation>
        </message>
        <message>
            <source>Models on this computer. Drop a .gguf file here to import it.</source>
            <translation>Models on this computer. Drop a .gguf file here to import it.</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Size</translation>
        </message>
        <message>
            <source>Quantization</source>
            <translation>Quantization</translation>
        </message>
        <message>
            <source>Architecture</source>
            <translation>Architecture</translation>
        </message>
        <message>
            <source>Fits</source>
            <translation>Fits</translation>
        </message>
        <message>
            <source>Import GGUF…</source>
            <translation>Import GGUF…</translation>
        </message>
        <message>
            <source>Delete…</source>
            <translation>Delete…</translation>
        </message>
        <message>
            <source>Unload</source>
            <translation>Unload</translation>
        </message>
        <message>
            <source>Load</source>
            <translation>Load</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Close</translation>
        </message>
    </context>
    <context>
        <name>ModelPanel</name>
        <message>
            <source>%1 tokens/s</source>
            <translation>%1 tokens/s</translation>
        </message>
        <message>
            <source>No model</source>
            <translation>No model</translation>
        </message>
        <message>
            <source>Not loaded</source>
            <translation>Not loaded</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Loading…</translation>
        </message>
        <message>
            <source>Ready</source>
            <translation>Ready</translation>
        </message>
        <message>
            <source>Could not load</source>
            <translation>Could not load</translation>
        </message>
        <message>
            <source>%1 tokens</source>
            <translation>%1 tokens</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>Model</translation>
        </message>
        <message>
            <source>Architecture</source>
            <translation>Architecture</translation>
        </message>
        <message>
            <source>Quantization</source>
            <translation>Quantization</translation>
        </message>
        <message>
            <source>Backend</source>
            <translation>Backend</translation>
        </message>
        <message>
            <source>GPU layers</source>
            <translation>GPU layers</translation>
        </message>
        <message>
            <source>Context</source>
            <translation>Context</translation>
        </message>
        <message>
            <source>Speed</source>
            <translation>Speed</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>Memory</translation>
        </message>
        <message>
            <source>Models…</source>
            <translation>Models…</translation>
        </message>
        <message>
            <source>Local models: load, import, delete</source>
            <translation>Local models: load, import, delete</translation>
        </message>
        <message>
            <source>Reload</source>
            <translation>Reload</translation>
        </message>
        <message>
            <source>Unload</source>
            <translation>Unload</translation>
        </message>
    </context>
    <context>
        <name>OptionsPage</name>
        <message>
            <source>known after the download</source>
            <translation>known after the download</translation>
        </message>
        <message>
            <source>The memory estimate is shown once the checkpoint is known.</source>
            <translation>The memory estimate is shown once the checkpoint is known.</translation>
        </message>
        <message>
            <source>fits this device</source>
            <translation>fits this device</translation>
        </message>
        <message>
            <source>too big for this device</source>
            <translation>too big for this device</translation>
        </message>
        <message>
            <source>about %1 at a %2-token context: %3</source>
            <translation>about %1 at a %2-token context: %3</translation>
        </message>
        <message>
            <source>Device and quantization</source>
            <translation>Device and quantization</translation>
        </message>
        <message>
            <source>Architecture</source>
            <translation>Architecture</translation>
        </message>
        <message>
            <source>Parameters</source>
            <translation>Parameters</translation>
        </message>
        <message>
            <source>Device profile</source>
            <translation>Device profile</translation>
        </message>
        <message>
            <source>Quantization</source>
            <translation>Quantization</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>Memory</translation>
        </message>
        <message>
            <source>File name</source>
            <translation>File name</translation>
        </message>
    </context>
    <context>
        <name>PresetsView</name>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>Description</translation>
        </message>
        <message>
            <source>System prompt</source>
            <translation>System prompt</translation>
        </message>
        <message>
            <source>User message</source>
            <translation>User message</translation>
        </message>
        <message>
            <source>Variables</source>
            <translation>Variables</translation>
        </message>
        <message>
            <source>Temperature</source>
            <translation>Temperature</translation>
        </message>
        <message>
            <source>Max tokens</source>
            <translation>Max tokens</translation>
        </message>
        <message>
            <source>JSON mode</source>
            <translation>JSON mode</translation>
        </message>
        <message>
            <source>JSON schema</source>
            <translation>JSON schema</translation>
        </message>
        <message>
            <source>{{input}} is replaced by what you type; {{name}} by a variable.</source>
            <translation>{{input}} is replaced by what you type; {{name}} by a variable.</translation>
        </message>
        <message>
            <source>New</source>
            <translation>New</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Save</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Delete</translation>
        </message>
        <message>
            <source>Import…</source>
            <translation>Import…</translation>
        </message>
        <message>
            <source>Export…</source>
            <translation>Export…</translation>
        </message>
        <message>
            <source>Restore this version</source>
            <translation>Restore this version</translation>
        </message>
        <message>
            <source>History</source>
            <translation>History</translation>
        </message>
        <message>
            <source>Version %1</source>
            <translation>Version %1</translation>
        </message>
        <message>
            <source>Not saved yet</source>
            <translation>Not saved yet</translation>
        </message>
        <message>
            <source>Saved %1 as version %2.</source>
            <translation>Saved %1 as version %2.</translation>
        </message>
        <message>
            <source>This is the current version.</source>
            <translation>This is the current version.</translation>
        </message>
        <message>
            <source>Import a preset</source>
            <translation>Import a preset</translation>
        </message>
        <message>
            <source>Presets (*.toml)</source>
            <translation>Presets (*.toml)</translation>
        </message>
        <message>
            <source>Export the preset</source>
            <translation>Export the preset</translation>
        </message>
    </context>
    <context>
        <name>ProgressPage</name>
        <message>
            <source>Starting…</source>
            <translation>Starting…</translation>
        </message>
        <message>
            <source>Converting the weights…</source>
            <translation>Converting the weights…</translation>
        </message>
        <message>
            <source>Quantizing…</source>
            <translation>Quantizing…</translation>
        </message>
        <message>
            <source>Checking the result in llama.cpp…</source>
            <translation>Checking the result in llama.cpp…</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>Done</translation>
        </message>
        <message>
            <source>About %1 s left</source>
            <translation>About %1 s left</translation>
        </message>
        <message>
            <source>The conversion stopped.</source>
            <translation>The conversion stopped.</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>Cancelling…</translation>
        </message>
        <message>
            <source>Converting</source>
            <translation>Converting</translation>
        </message>
        <message>
            <source>Cancel conversion</source>
            <translation>Cancel conversion</translation>
        </message>
    </context>
    <context>
        <name>ReportPage</name>
        <message>
            <source>Validation report</source>
            <translation>Validation report</translation>
        </message>
        <message>
            <source>Load now</source>
            <translation>Load now</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Settings</source>
            <translation>Settings</translation>
        </message>
        <message>
            <source>General</source>
            <translation>General</translation>
        </message>
        <message>
            <source>Voice input</source>
            <translation>Voice input</translation>
        </message>
        <message>
            <source>Local API server</source>
            <translation>Local API server</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Language</translation>
        </message>
        <message>
            <source>Appearance</source>
            <translation>Appearance</translation>
        </message>
        <message>
            <source>Send with</source>
            <translation>Send with</translation>
        </message>
        <message>
            <source>Context length</source>
            <translation>Context length</translation>
        </message>
        <message>
            <source>A longer context remembers more of the conversation but needs more memory. It applies the next time a model loads.</source>
            <translation>A longer context remembers more of the conversation but needs more memory. It applies the next time a model loads.</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>OK</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>Apply</translation>
        </message>
        <message>
            <source>Same as the system</source>
            <translation>Same as the system</translation>
        </message>
        <message>
            <source>Light</source>
            <translation>Light</translation>
        </message>
        <message>
            <source>Dark</source>
            <translation>Dark</translation>
        </message>
        <message>
            <source>System default</source>
            <translation>System default</translation>
        </message>
        <message>
            <source>Enter (Shift+Enter for a new line)</source>
            <translation>Enter (Shift+Enter for a new line)</translation>
        </message>
        <message>
            <source>%1+Enter (Enter for a new line)</source>
            <translation>%1+Enter (Enter for a new line)</translation>
        </message>
    </context>
    <context>
        <name>SourcePage</name>
        <message>
            <source>Checkpoint folder</source>
            <translation>Checkpoint folder</translation>
        </message>
        <message>
            <source>Choose a folder that holds config.json, or type a repo id such as owner/name.</source>
            <translation>Choose a folder that holds config.json, or type a repo id such as owner/name.</translation>
        </message>
        <message>
            <source>Checkpoint</source>
            <translation>Checkpoint</translation>
        </message>
        <message>
            <source>Choose a Hugging Face checkpoint folder (config.json and safetensors), or type a repo id to download it.</source>
            <translation>Choose a Hugging Face checkpoint folder (config.json and safetensors), or type a repo id to download it.</translation>
        </message>
        <message>
            <source>Folder or owner/name</source>
            <translation>Folder or owner/name</translation>
        </message>
        <message>
            <source>Browse…</source>
            <translation>Browse…</translation>
        </message>
    </context>
    <context>
        <name>SourcesView</name>
        <message>
            <source>Sources</source>
            <translation>Sources</translation>
        </message>
        <message>
            <source>Click a source to read the whole passage.</source>
            <translation>Click a source to read the whole passage.</translation>
        </message>
        <message>
            <source>score {0:.4f}</source>
            <translation>score {0:.4f}</translation>
        </message>
        <message>
            <source>similarity {0:.3f}</source>
            <translation>similarity {0:.3f}</translation>
        </message>
        <message>
            <source>keyword score {0:.2f}</source>
            <translation>keyword score {0:.2f}</translation>
        </message>
    </context>
    <context>
        <name>VoiceInputButton</name>
        <message>
            <source>Voice input</source>
            <translation>Voice input</translation>
        </message>
        <message>
            <source>Transcribing… %1%</source>
            <translation>Transcribing… %1%</translation>
        </message>
        <message>
            <source>No speech was heard. Hold the button and speak, then release.</source>
            <translation>No speech was heard. Hold the button and speak, then release.</translation>
        </message>
        <message>
            <source>Voice input is not available.</source>
            <translation>Voice input is not available.</translation>
        </message>
        <message>
            <source>Voice input is off: %1</source>
            <translation>Voice input is off: %1</translation>
        </message>
        <message>
            <source>What to do: %1</source>
            <translation>What to do: %1</translation>
        </message>
        <message>
            <source>Listening… release (or pause) to finish.</source>
            <translation>Listening… release (or pause) to finish.</translation>
        </message>
        <message>
            <source>Opening the microphone…</source>
            <translation>Opening the microphone…</translation>
        </message>
        <message>
            <source>Transcribing…</source>
            <translation>Transcribing…</translation>
        </message>
        <message>
            <source>Hold to talk, or tap to talk hands-free (%1).</source>
            <translation>Hold to talk, or tap to talk hands-free (%1).</translation>
        </message>
    </context>
    <context>
        <name>VoicePage</name>
        <message>
            <source>Spoken language</source>
            <translation>Spoken language</translation>
        </message>
        <message>
            <source>Speech model</source>
            <translation>Speech model</translation>
        </message>
        <message>
            <source>Microphone</source>
            <translation>Microphone</translation>
        </message>
        <message>
            <source>Send the transcript right away</source>
            <translation>Send the transcript right away</translation>
        </message>
        <message>
            <source>Speech is transcribed on this computer and never sent anywhere. More speech models can be downloaded in the model library.</source>
            <translation>Speech is transcribed on this computer and never sent anywhere. More speech models can be downloaded in the model library.</translation>
        </message>
        <message>
            <source>Detect automatically</source>
            <translation>Detect automatically</translation>
        </message>
        <message>
            <source>%1 (bundled)</source>
            <translation>%1 (bundled)</translation>
        </message>
        <message>
            <source>System default</source>
            <translation>System default</translation>
        </message>
    </context>
    <context>
        <name>VoiceWorker</name>
        <message>
            <source>Transcription failed: %1</source>
            <translation>Transcription failed: %1</translation>
        </message>
    </context>
</TS>
