<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>AboutDialog</name>
        <message>
            <source>About Tomoshibi</source>
            <translation>About Tomoshibi</translation>
        </message>
        <message>
            <source>Tomoshibi</source>
            <translation>Tomoshibi</translation>
        </message>
        <message>
            <source>Version %1</source>
            <translation>Version %1</translation>
        </message>
        <message>
            <source>An assistant that runs entirely on this computer. Conversations, documents and voice never leave it.</source>
            <translation>An assistant that runs entirely on this computer. Conversations, documents and voice never leave it.</translation>
        </message>
        <message>
            <source>Bundled models and their licences</source>
            <translation>Bundled models and their licences</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Close</translation>
        </message>
    </context>
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
        <name>CatalogView</name>
        <message>
            <source>%1 of %2 models</source>
            <translation>%1 of %2 models</translation>
        </message>
        <message>
            <source>All kinds</source>
            <translation>All kinds</translation>
        </message>
        <message>
            <source>Chat</source>
            <translation>Chat</translation>
        </message>
        <message>
            <source>Embedding (documents)</source>
            <translation>Embedding (documents)</translation>
        </message>
        <message>
            <source>Speech</source>
            <translation>Speech</translation>
        </message>
        <message>
            <source>Any language</source>
            <translation>Any language</translation>
        </message>
        <message>
            <source>Fits this computer</source>
            <translation>Fits this computer</translation>
        </message>
    </context>
    <context>
        <name>ChatController</name>
        <message>
            <source>No model is loaded. Load one from the model panel; your message will be answered then.</source>
            <translation>No model is loaded. Load one from the model panel; your message will be answered then.</translation>
        </message>
        <message>
            <source>The document collection %1 no longer exists; it was left out.</source>
            <translation>The document collection %1 no longer exists; it was left out.</translation>
        </message>
        <message>
            <source>Your documents are searched by keywords only, as no installed embedding model has indexed them. To also find passages that say the same thing in other words, get an embedding model in Model library… and index them again in Documents….</source>
            <translation>Your documents are searched by keywords only, as no installed embedding model has indexed them. To also find passages that say the same thing in other words, get an embedding model in Model library… and index them again in Documents….</translation>
        </message>
    </context>
    <context>
        <name>ChatDocuments</name>
        <message>
            <source>Answer from these collections:</source>
            <translation>Answer from these collections:</translation>
        </message>
        <message>
            <source>Add files…</source>
            <translation>Add files…</translation>
        </message>
        <message>
            <source>Add a folder…</source>
            <translation>Add a folder…</translation>
        </message>
        <message>
            <source>Add files to this chat</source>
            <translation>Add files to this chat</translation>
        </message>
        <message>
            <source>Documents (*.txt *.md *.pdf *.docx);;All files (*)</source>
            <translation>Documents (*.txt *.md *.pdf *.docx);;All files (*)</translation>
        </message>
        <message>
            <source>Add a folder to this chat</source>
            <translation>Add a folder to this chat</translation>
        </message>
        <message>
            <source>Indexing…</source>
            <translation>Indexing…</translation>
        </message>
        <message>
            <source>Indexing %1 of %2 files…</source>
            <translation>Indexing %1 of %2 files…</translation>
        </message>
        <message>
            <source>Indexing: %1 of %2 passages…</source>
            <translation>Indexing: %1 of %2 passages…</translation>
        </message>
        <message>
            <source>%1 could not be indexed: %2</source>
            <translation>%1 could not be indexed: %2</translation>
        </message>
        <message>
            <source>Answers use your documents: %1</source>
            <translation>Answers use your documents: %1</translation>
        </message>
        <message>
            <source>Documents for this chat: attach a collection, or add files (you can also drop them on the chat)</source>
            <translation>Documents for this chat: attach a collection, or add files (you can also drop them on the chat)</translation>
        </message>
    </context>
    <context>
        <name>ChatView</name>
        <message>
            <source>Ask anything. Everything stays on this computer: no network is used.
Drop files or folders here to ask about your documents.</source>
            <translation>Ask anything. Everything stays on this computer: no network is used.
Drop files or folders here to ask about your documents.</translation>
        </message>
    </context>
    <context>
        <name>ConversationList</name>
        <message>
            <source>writing an answer</source>
            <translation>writing an answer</translation>
        </message>
        <message>
            <source>waiting in the queue</source>
            <translation>waiting in the queue</translation>
        </message>
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
            <source>Rename</source>
            <translation>Rename</translation>
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
            <source>Today</source>
            <translation>Today</translation>
        </message>
        <message>
            <source>Yesterday</source>
            <translation>Yesterday</translation>
        </message>
        <message>
            <source>Earlier</source>
            <translation>Earlier</translation>
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
        <name>DevicePage</name>
        <message>
            <source>%1: %2 parameters (%3)</source>
            <translation>%1: %2 parameters (%3)</translation>
        </message>
        <message>
            <source>Smartphone (4 GB)</source>
            <translation>Smartphone (4 GB)</translation>
        </message>
        <message>
            <source>Mac 8 GB</source>
            <translation>Mac 8 GB</translation>
        </message>
        <message>
            <source>Laptop PC 16 GB</source>
            <translation>Laptop PC 16 GB</translation>
        </message>
        <message>
            <source>Desktop with a 24 GB GPU</source>
            <translation>Desktop with a 24 GB GPU</translation>
        </message>
        <message>
            <source>Where will it run?</source>
            <translation>Where will it run?</translation>
        </message>
        <message>
            <source>Choose the device closest to yours; the size is chosen to fit its memory.</source>
            <translation>Choose the device closest to yours; the size is chosen to fit its memory.</translation>
        </message>
        <message>
            <source>A phone lets one app use about 2.5 GB</source>
            <translation>A phone lets one app use about 2.5 GB</translation>
        </message>
        <message>
            <source>Apple silicon; about 5 GB for the model</source>
            <translation>Apple silicon; about 5 GB for the model</translation>
        </message>
        <message>
            <source>With a browser and other apps still open</source>
            <translation>With a browser and other apps still open</translation>
        </message>
        <message>
            <source>Or a workstation with 24 GB of memory</source>
            <translation>Or a workstation with 24 GB of memory</translation>
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
            <source>Click a result to read the whole passage.</source>
            <translation>Click a result to read the whole passage.</translation>
        </message>
        <message>
            <source>Get an embedding model…</source>
            <translation>Get an embedding model…</translation>
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
            <source>Add a folder or files to this collection to search them.</source>
            <translation>Add a folder or files to this collection to search them.</translation>
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
        <message>
            <source>Searching…</source>
            <translation>Searching…</translation>
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
        <name>DownloadsView</name>
        <message>
            <source>No downloads. Models you download from the catalog or the hub appear here.</source>
            <translation>No downloads. Models you download from the catalog or the hub appear here.</translation>
        </message>
    </context>
    <context>
        <name>EmbeddingOffer</name>
        <message>
            <source>%1 is installed: documents you add from now on are also found by meaning.</source>
            <translation>%1 is installed: documents you add from now on are also found by meaning.</translation>
        </message>
        <message>
            <source>Better document search: %1, %2</source>
            <translation>Better document search: %1, %2</translation>
        </message>
        <message>
            <source>Search finds reworded questions much better with an embedding model. Recommended for this computer: %1, %2.</source>
            <translation>Search finds reworded questions much better with an embedding model. Recommended for this computer: %1, %2.</translation>
        </message>
        <message>
            <source>Downloading %1 %</source>
            <translation>Downloading %1 %</translation>
        </message>
        <message>
            <source>Try again</source>
            <translation>Try again</translation>
        </message>
        <message>
            <source>Download</source>
            <translation>Download</translation>
        </message>
    </context>
    <context>
        <name>ErrorText</name>
        <message>
            <source>You are offline. Connect to the internet, or choose a folder you have already downloaded.</source>
            <translation>You are offline. Connect to the internet, or choose a folder you have already downloaded.</translation>
        </message>
        <message>
            <source>The model site cannot be reached. Check your internet connection and try again, or choose a folder you have already downloaded.</source>
            <translation>The model site cannot be reached. Check your internet connection and try again, or choose a folder you have already downloaded.</translation>
        </message>
        <message>
            <source>The model site did not answer in time. Try again in a moment; a started download goes on where it stopped.</source>
            <translation>The model site did not answer in time. Try again in a moment; a started download goes on where it stopped.</translation>
        </message>
        <message>
            <source>This model asks you to accept its licence on its web page before downloading. Accept it there and sign in, then try again.</source>
            <translation>This model asks you to accept its licence on its web page before downloading. Accept it there and sign in, then try again.</translation>
        </message>
        <message>
            <source>This model was not found. Check the name (it looks like owner/name) and try again.</source>
            <translation>This model was not found. Check the name (it looks like owner/name) and try again.</translation>
        </message>
        <message>
            <source>There is not enough free disk space. Free some space or choose another place, then try again.</source>
            <translation>There is not enough free disk space. Free some space or choose another place, then try again.</translation>
        </message>
        <message>
            <source>This model needs more memory than this computer has free. Close other apps, or choose a smaller model or a smaller size.</source>
            <translation>This model needs more memory than this computer has free. Close other apps, or choose a smaller model or a smaller size.</translation>
        </message>
        <message>
            <source>This folder does not hold a model to convert (there is no config.json). Choose the folder that holds config.json and the weight files.</source>
            <translation>This folder does not hold a model to convert (there is no config.json). Choose the folder that holds config.json and the weight files.</translation>
        </message>
        <message>
            <source>This kind of model cannot be converted yet. Choose another model, or download a ready-made GGUF in the model library.</source>
            <translation>This kind of model cannot be converted yet. Choose another model, or download a ready-made GGUF in the model library.</translation>
        </message>
        <message>
            <source>Cancelled. Nothing half-finished was left behind.</source>
            <translation>Cancelled. Nothing half-finished was left behind.</translation>
        </message>
        <message>
            <source>The model stopped unexpectedly. Reload the model to go on.</source>
            <translation>The model stopped unexpectedly. Reload the model to go on.</translation>
        </message>
        <message>
            <source>There is not enough free disk space: %1 is needed and %2 is free. Free some space or choose another place, then try again.</source>
            <translation>There is not enough free disk space: %1 is needed and %2 is free. Free some space or choose another place, then try again.</translation>
        </message>
        <message>
            <source>Something went wrong: %1</source>
            <translation>Something went wrong: %1</translation>
        </message>
        <message>
            <source>No embedding model is installed, so the chat model's own embeddings are used; reworded questions are found less reliably. Install %1, the embedding model recommended for this computer.</source>
            <translation>No embedding model is installed, so the chat model's own embeddings are used; reworded questions are found less reliably. Install %1, the embedding model recommended for this computer.</translation>
        </message>
        <message>
            <source>No embedding model is installed, so the chat model's own embeddings are used; reworded questions are found less reliably. Install a multilingual embedding model from the model library.</source>
            <translation>No embedding model is installed, so the chat model's own embeddings are used; reworded questions are found less reliably. Install a multilingual embedding model from the model library.</translation>
        </message>
        <message>
            <source>This collection was indexed with another embedding model; only keyword search is used until you press “Update index”.</source>
            <translation>This collection was indexed with another embedding model; only keyword search is used until you press “Update index”.</translation>
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
        <name>HeaderBar</name>
        <message>
            <source>Show or hide the conversation list (%1)</source>
            <translation>Show or hide the conversation list (%1)</translation>
        </message>
        <message>
            <source>New chat</source>
            <translation>New chat</translation>
        </message>
        <message>
            <source>Documents</source>
            <translation>Documents</translation>
        </message>
        <message>
            <source>Your documents: collections, indexing and search</source>
            <translation>Your documents: collections, indexing and search</translation>
        </message>
        <message>
            <source>Advanced</source>
            <translation>Advanced</translation>
        </message>
        <message>
            <source>Model details, generation settings and the system prompt (%1)</source>
            <translation>Model details, generation settings and the system prompt (%1)</translation>
        </message>
    </context>
    <context>
        <name>HelpMenu</name>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Help</translation>
        </message>
        <message>
            <source>About Tomoshibi</source>
            <translation>About Tomoshibi</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Keyboard shortcuts</translation>
        </message>
        <message>
            <source>Open the data folder</source>
            <translation>Open the data folder</translation>
        </message>
        <message>
            <source>Open the log file</source>
            <translation>Open the log file</translation>
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
        <name>InstalledView</name>
        <message>
            <source>Documents search</source>
            <translation>Documents search</translation>
        </message>
        <message>
            <source>Chat</source>
            <translation>Chat</translation>
        </message>
        <message>
            <source>Japanese</source>
            <translation>Japanese</translation>
        </message>
        <message>
            <source>English</source>
            <translation>English</translation>
        </message>
        <message>
            <source>many more</source>
            <translation>many more</translation>
        </message>
        <message>
            <source>In use</source>
            <translation>In use</translation>
        </message>
        <message>
            <source>Cannot be read</source>
            <translation>Cannot be read</translation>
        </message>
        <message>
            <source>Too big for the free memory</source>
            <translation>Too big for the free memory</translation>
        </message>
        <message>
            <source>Ready</source>
            <translation>Ready</translation>
        </message>
        <message>
            <source>Architecture: %1</source>
            <translation>Architecture: %1</translation>
        </message>
        <message>
            <source>Quantization: %1</source>
            <translation>Quantization: %1</translation>
        </message>
        <message>
            <source>Parameters: %1</source>
            <translation>Parameters: %1</translation>
        </message>
        <message>
            <source>Longest context: %1 tokens</source>
            <translation>Longest context: %1 tokens</translation>
        </message>
        <message>
            <source>Needs about %1</source>
            <translation>Needs about %1</translation>
        </message>
        <message>
            <source>Downloaded models use %1 on disk; %2 free.</source>
            <translation>Downloaded models use %1 on disk; %2 free.</translation>
        </message>
        <message>
            <source>No models downloaded yet; %1 free on disk.</source>
            <translation>No models downloaded yet; %1 free on disk.</translation>
        </message>
        <message>
            <source>Unfinished downloads: %1.</source>
            <translation>Unfinished downloads: %1.</translation>
        </message>
        <message>
            <source>Speech models and checkpoints: %1.</source>
            <translation>Speech models and checkpoints: %1.</translation>
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
            <source>%1 is already in your models; nothing was copied.</source>
            <translation>%1 is already in your models; nothing was copied.</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>Model</translation>
        </message>
        <message>
            <source>Models on this computer. Point at a row for its technical details; drop a .gguf file here to import it.</source>
            <translation>Models on this computer. Point at a row for its technical details; drop a .gguf file here to import it.</translation>
        </message>
        <message>
            <source>Used for</source>
            <translation>Used for</translation>
        </message>
        <message>
            <source>Languages</source>
            <translation>Languages</translation>
        </message>
        <message>
            <source>Size on disk</source>
            <translation>Size on disk</translation>
        </message>
        <message>
            <source>State</source>
            <translation>State</translation>
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
            <source>Open folder</source>
            <translation>Open folder</translation>
        </message>
        <message>
            <source>Unload</source>
            <translation>Unload</translation>
        </message>
        <message>
            <source>Use in chat</source>
            <translation>Use in chat</translation>
        </message>
    </context>
    <context>
        <name>IntroPage</name>
        <message>
            <source>Make a model run on your device</source>
            <translation>Make a model run on your device</translation>
        </message>
        <message>
            <source>Models published for research (for example on Hugging Face) come as a folder of large files that this app cannot run directly. Converting turns such a model into one file that runs here, and can make it smaller so that it fits the memory of your phone, Mac or PC.</source>
            <translation>Models published for research (for example on Hugging Face) come as a folder of large files that this app cannot run directly. Converting turns such a model into one file that runs here, and can make it smaller so that it fits the memory of your phone, Mac or PC.</translation>
        </message>
        <message>
            <source>What it needs</source>
            <translation>What it needs</translation>
        </message>
        <message>
            <source>&lt;ul style='margin-left:-20px'&gt;&lt;li&gt;&lt;b&gt;Disk space&lt;/b&gt;: about three times the size of the finished file while it works (shown before you start).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Time&lt;/b&gt;: a few minutes for a small model, up to an hour for a large one. You can keep chatting meanwhile.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Internet&lt;/b&gt;: only if the model is downloaded first. A folder already on this computer converts offline.&lt;/li&gt;&lt;/ul&gt;</source>
            <translation>&lt;ul style='margin-left:-20px'&gt;&lt;li&gt;&lt;b&gt;Disk space&lt;/b&gt;: about three times the size of the finished file while it works (shown before you start).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Time&lt;/b&gt;: a few minutes for a small model, up to an hour for a large one. You can keep chatting meanwhile.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Internet&lt;/b&gt;: only if the model is downloaded first. A folder already on this computer converts offline.&lt;/li&gt;&lt;/ul&gt;</translation>
        </message>
    </context>
    <context>
        <name>LanguageNotice</name>
        <message>
            <source>This model was not trained for Japanese: its answers may be wrong or in English.</source>
            <translation>This model was not trained for Japanese: its answers may be wrong or in English.</translation>
        </message>
        <message>
            <source>Do not show this again</source>
            <translation>Do not show this again</translation>
        </message>
        <message>
            <source>Get %1 (%2)</source>
            <translation>Get %1 (%2)</translation>
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
        <name>Library</name>
        <message>
            <source>needs %1 of your %2</source>
            <translation>needs %1 of your %2</translation>
        </message>
        <message>
            <source>fits</source>
            <translation>fits</translation>
        </message>
        <message>
            <source>tight: close other apps</source>
            <translation>tight: close other apps</translation>
        </message>
        <message>
            <source>does not fit</source>
            <translation>does not fit</translation>
        </message>
        <message>
            <source>+ more</source>
            <translation>+ more</translation>
        </message>
        <message>
            <source>You are offline: the model hub cannot be reached. Check the internet connection and press Retry; the download continues where it stopped.</source>
            <translation>You are offline: the model hub cannot be reached. Check the internet connection and press Retry; the download continues where it stopped.</translation>
        </message>
        <message>
            <source>The hub only gives this model to signed-in users who accepted its licence on the model's page. Accept it there, sign in with an access token, then press Retry.</source>
            <translation>The hub only gives this model to signed-in users who accepted its licence on the model's page. Accept it there, sign in with an access token, then press Retry.</translation>
        </message>
        <message>
            <source>This model is no longer on the hub (the repository was removed or renamed). Choose another model.</source>
            <translation>This model is no longer on the hub (the repository was removed or renamed). Choose another model.</translation>
        </message>
        <message>
            <source>The hub has no file of this model in the expected size. Choose another model, or pick a file in Search the hub.</source>
            <translation>The hub has no file of this model in the expected size. Choose another model, or pick a file in Search the hub.</translation>
        </message>
        <message>
            <source>Not enough free disk space for this model. Delete models you no longer use (Installed), then press Retry.</source>
            <translation>Not enough free disk space for this model. Delete models you no longer use (Installed), then press Retry.</translation>
        </message>
        <message>
            <source>The downloaded file was damaged (its checksum did not match) and was deleted. Press Retry to download it again.</source>
            <translation>The downloaded file was damaged (its checksum did not match) and was deleted. Press Retry to download it again.</translation>
        </message>
        <message>
            <source>The connection dropped several times. Press Retry: the download continues where it stopped.</source>
            <translation>The connection dropped several times. Press Retry: the download continues where it stopped.</translation>
        </message>
        <message>
            <source>The new version is downloaded and verified, but the old file is in use by the loaded model. Load another model, then press Retry to put the new one in place.</source>
            <translation>The new version is downloaded and verified, but the old file is in use by the loaded model. Load another model, then press Retry to put the new one in place.</translation>
        </message>
        <message>
            <source>The download failed. Press Retry; if it fails again, try later.</source>
            <translation>The download failed. Press Retry; if it fails again, try later.</translation>
        </message>
        <message>
            <source>%1 s left</source>
            <translation>%1 s left</translation>
        </message>
        <message>
            <source>%1 min left</source>
            <translation>%1 min left</translation>
        </message>
        <message>
            <source>%1 h %2 min left</source>
            <translation>%1 h %2 min left</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 of %2</translation>
        </message>
        <message>
            <source>Update: %1</source>
            <translation>Update: %1</translation>
        </message>
        <message>
            <source>Starting…</source>
            <translation>Starting…</translation>
        </message>
        <message>
            <source>Paused</source>
            <translation>Paused</translation>
        </message>
        <message>
            <source>Downloaded. It is in Installed and in the chat's model list.</source>
            <translation>Downloaded. It is in Installed and in the chat's model list.</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>Cancelled</translation>
        </message>
        <message>
            <source>Updated: the new version replaced the old one after its checksum was verified.</source>
            <translation>Updated: the new version replaced the old one after its checksum was verified.</translation>
        </message>
        <message>
            <source>Update cancelled: the installed version is unchanged.</source>
            <translation>Update cancelled: the installed version is unchanged.</translation>
        </message>
        <message>
            <source>Connecting…</source>
            <translation>Connecting…</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Pause</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>Retry</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>Resume</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Remove</translation>
        </message>
    </context>
    <context>
        <name>LibraryWindow</name>
        <message>
            <source>Downloads</source>
            <translation>Downloads</translation>
        </message>
        <message>
            <source>Model library</source>
            <translation>Model library</translation>
        </message>
        <message>
            <source>Catalog</source>
            <translation>Catalog</translation>
        </message>
        <message>
            <source>Search the hub</source>
            <translation>Search the hub</translation>
        </message>
        <message>
            <source>Installed</source>
            <translation>Installed</translation>
        </message>
    </context>
    <context>
        <name>LicenceDialog</name>
        <message>
            <source>Licence of %1</source>
            <translation>Licence of %1</translation>
        </message>
        <message>
            <source>%1 is published under the %2 licence. Read it before you download the model; by downloading you accept its terms.</source>
            <translation>%1 is published under the %2 licence. Read it before you download the model; by downloading you accept its terms.</translation>
        </message>
        <message>
            <source>Read the licence</source>
            <translation>Read the licence</translation>
        </message>
        <message>
            <source>The hub also asks you to accept it on the model's page and to sign in with an access token.</source>
            <translation>The hub also asks you to accept it on the model's page and to sign in with an access token.</translation>
        </message>
        <message>
            <source>Accept and download</source>
            <translation>Accept and download</translation>
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
            <source>Writing an answer in another conversation…</source>
            <translation>Writing an answer in another conversation…</translation>
        </message>
        <message>
            <source>In the queue behind another conversation's answer (Esc cancels this one)</source>
            <translation>In the queue behind another conversation's answer (Esc cancels this one)</translation>
        </message>
        <message>
            <source>%1 waiting</source>
            <translation>%1 waiting</translation>
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
            <source>&amp;View</source>
            <translation>&amp;View</translation>
        </message>
        <message>
            <source>Conversation list</source>
            <translation>Conversation list</translation>
        </message>
        <message>
            <source>Advanced settings</source>
            <translation>Advanced settings</translation>
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
            <source>Model library…</source>
            <translation>Model library…</translation>
        </message>
        <message>
            <source>Installed models…</source>
            <translation>Installed models…</translation>
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
            <source>Copied</source>
            <translation>Copied</translation>
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
            <source>Change this message and send it again (the old one stays as a version)</source>
            <translation>Change this message and send it again (the old one stays as a version)</translation>
        </message>
        <message>
            <source>Write this answer again (the old one stays as a version)</source>
            <translation>Write this answer again (the old one stays as a version)</translation>
        </message>
        <message>
            <source>Previous version</source>
            <translation>Previous version</translation>
        </message>
        <message>
            <source>Next version</source>
            <translation>Next version</translation>
        </message>
        <message>
            <source>Regenerate</source>
            <translation>Regenerate</translation>
        </message>
        <message>
            <source>In the queue: starts when the answer being written in another conversation (●) is done…</source>
            <translation>In the queue: starts when the answer being written in another conversation (●) is done…</translation>
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
        <name>ModelCard</name>
        <message>
            <source>Download</source>
            <translation>Download</translation>
        </message>
        <message>
            <source>Downloading %1 %</source>
            <translation>Downloading %1 %</translation>
        </message>
        <message>
            <source>Downloading…</source>
            <translation>Downloading…</translation>
        </message>
        <message>
            <source>Resume (%1 %)</source>
            <translation>Resume (%1 %)</translation>
        </message>
        <message>
            <source>Retry download</source>
            <translation>Retry download</translation>
        </message>
        <message>
            <source>Use</source>
            <translation>Use</translation>
        </message>
        <message>
            <source>In use</source>
            <translation>In use</translation>
        </message>
        <message>
            <source>Installed</source>
            <translation>Installed</translation>
        </message>
        <message>
            <source>Convert…</source>
            <translation>Convert…</translation>
        </message>
        <message>
            <source>Built in</source>
            <translation>Built in</translation>
        </message>
        <message>
            <source>Update</source>
            <translation>Update</translation>
        </message>
        <message>
            <source>A newer version is on the hub. You are using this model now: the new version is used the next time it is loaded.</source>
            <translation>A newer version is on the hub. You are using this model now: the new version is used the next time it is loaded.</translation>
        </message>
        <message>
            <source>A newer version is on the hub.</source>
            <translation>A newer version is on the hub.</translation>
        </message>
        <message>
            <source>Updating: you keep using the installed version; the new one is used the next time the model is loaded.</source>
            <translation>Updating: you keep using the installed version; the new one is used the next time the model is loaded.</translation>
        </message>
        <message>
            <source>Updating: the installed version keeps working until the new one is verified.</source>
            <translation>Updating: the installed version keeps working until the new one is verified.</translation>
        </message>
        <message>
            <source>Updated. The new version is used the next time this model is loaded.</source>
            <translation>Updated. The new version is used the next time this model is loaded.</translation>
        </message>
        <message>
            <source>%1 download</source>
            <translation>%1 download</translation>
        </message>
        <message>
            <source>built in, %1</source>
            <translation>built in, %1</translation>
        </message>
        <message>
            <source>converted after download</source>
            <translation>converted after download</translation>
        </message>
        <message>
            <source>%1 · %2 · licence: %3</source>
            <translation>%1 · %2 · licence: %3</translation>
        </message>
        <message>
            <source>Recommended for this computer</source>
            <translation>Recommended for this computer</translation>
        </message>
    </context>
    <context>
        <name>ModelManager</name>
        <message>
            <source>Models</source>
            <translation>Models</translation>
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
        <name>ModelPicker</name>
        <message>
            <source>Loading…</source>
            <translation>Loading…</translation>
        </message>
        <message>
            <source>Could not load</source>
            <translation>Could not load</translation>
        </message>
        <message>
            <source>Model:</source>
            <translation>Model:</translation>
        </message>
        <message>
            <source>Model library…</source>
            <translation>Model library…</translation>
        </message>
        <message>
            <source>The model this conversation uses. Pick another to switch; it loads in the background.</source>
            <translation>The model this conversation uses. Pick another to switch; it loads in the background.</translation>
        </message>
    </context>
    <context>
        <name>OtherComputersPage</name>
        <message>
            <source>This address is not valid. Write it like http://192.168.1.30:8080/v1.</source>
            <translation>This address is not valid. Write it like http://192.168.1.30:8080/v1.</translation>
        </message>
        <message>
            <source>Add</source>
            <translation>Add</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Remove</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>This address is not valid. Write the other computer's address and port, for example 192.168.1.20:50052.</source>
            <translation>This address is not valid. Write the other computer's address and port, for example 192.168.1.20:50052.</translation>
        </message>
        <message>
            <source>Use another computer's memory and graphics card to run models too big for this one, or chat with models that another computer runs. Everything stays on your own network.</source>
            <translation>Use another computer's memory and graphics card to run models too big for this one, or chat with models that another computer runs. Everything stays on your own network.</translation>
        </message>
        <message>
            <source>Run bigger models with your other computers</source>
            <translation>Run bigger models with your other computers</translation>
        </message>
        <message>
            <source>Add the computers that should help. Tomoshibi shares the model among them by their free memory; this computer does the rest. A computer that cannot be reached is skipped.</source>
            <translation>Add the computers that should help. Tomoshibi shares the model among them by their free memory; this computer does the rest. A computer that cannot be reached is skipped.</translation>
        </message>
        <message>
            <source>Chat with models on another computer</source>
            <translation>Chat with models on another computer</translation>
        </message>
        <message>
            <source>Add a computer that runs a model server. Its models then appear in the model list, next to the ones on this computer.</source>
            <translation>Add a computer that runs a model server. Its models then appear in the model list, next to the ones on this computer.</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>The other computer's address and port (host:port), as tomoshibi rpc-worker prints it.</source>
            <translation>The other computer's address and port (host:port), as tomoshibi rpc-worker prints it.</translation>
        </message>
        <message>
            <source>Address, for example %1</source>
            <translation>Address, for example %1</translation>
        </message>
        <message>
            <source>A name you choose, shown in the model list.</source>
            <translation>A name you choose, shown in the model list.</translation>
        </message>
        <message>
            <source>The server's address (an OpenAI-compatible /v1 address).</source>
            <translation>The server's address (an OpenAI-compatible /v1 address).</translation>
        </message>
        <message>
            <source>Access key (optional)</source>
            <translation>Access key (optional)</translation>
        </message>
        <message>
            <source>The server's API key, if it asks for one.</source>
            <translation>The server's API key, if it asks for one.</translation>
        </message>
        <message>
            <source>On each computer, run: tomoshibi rpc-worker. The model's layers are shared among these computers by their free memory; this computer keeps the rest. Unreachable ones are skipped. llama.cpp's RPC has no password and no encryption: use it only between your own computers, over an SSH tunnel if the network is not yours alone.</source>
            <translation>On each computer, run: tomoshibi rpc-worker. The model's layers are shared among these computers by their free memory; this computer keeps the rest. Unreachable ones are skipped. llama.cpp's RPC has no password and no encryption: use it only between your own computers, over an SSH tunnel if the network is not yours alone.</translation>
        </message>
        <message>
            <source>Keys are kept in the system keychain.</source>
            <translation>Keys are kept in the system keychain.</translation>
        </message>
        <message>
            <source>No system keychain was found: keys are kept only until Tomoshibi closes.</source>
            <translation>No system keychain was found: keys are kept only until Tomoshibi closes.</translation>
        </message>
        <message>
            <source>Any OpenAI-compatible server: tomoshibi serve on another computer, llama-server, Ollama, LM Studio. Its models appear in the Model menu.</source>
            <translation>Any OpenAI-compatible server: tomoshibi serve on another computer, llama-server, Ollama, LM Studio. Its models appear in the Model menu.</translation>
        </message>
        <message>
            <source>this computer</source>
            <translation>this computer</translation>
        </message>
        <message>
            <source>Layers:</source>
            <translation>Layers:</translation>
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
            <source>Done</source>
            <translation>Done</translation>
        </message>
        <message>
            <source>Downloading the model…</source>
            <translation>Downloading the model…</translation>
        </message>
        <message>
            <source>Converting…</source>
            <translation>Converting…</translation>
        </message>
        <message>
            <source>Making it smaller…</source>
            <translation>Making it smaller…</translation>
        </message>
        <message>
            <source>Checking that it works…</source>
            <translation>Checking that it works…</translation>
        </message>
        <message>
            <source>Working…</source>
            <translation>Working…</translation>
        </message>
        <message>
            <source>About %1 left</source>
            <translation>About %1 left</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <source>%1 min</source>
            <translation>%1 min</translation>
        </message>
        <message>
            <source>%1 h %2 min</source>
            <translation>%1 h %2 min</translation>
        </message>
        <message>
            <source>The conversion stopped.</source>
            <translation>The conversion stopped.</translation>
        </message>
        <message>
            <source>The conversion did not finish</source>
            <translation>The conversion did not finish</translation>
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
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
    </context>
    <context>
        <name>QFileDialog</name>
        <message>
            <source>&amp;Look in:</source>
            <translation>&amp;Look in:</translation>
        </message>
        <message>
            <source>Files of &amp;type:</source>
            <translation>Files of &amp;type:</translation>
        </message>
        <message>
            <source>Look in:</source>
            <translation>Look in:</translation>
        </message>
        <message>
            <source>Files of type:</source>
            <translation>Files of type:</translation>
        </message>
    </context>
    <context>
        <name>QualityPage</name>
        <message>
            <source>Estimated memory while chatting: about %1 with a %2-token conversation.</source>
            <translation>Estimated memory while chatting: about %1 with a %2-token conversation.</translation>
        </message>
        <message>
            <source>answers almost unchanged</source>
            <translation>answers almost unchanged</translation>
        </message>
        <message>
            <source>answers slightly less precise</source>
            <translation>answers slightly less precise</translation>
        </message>
        <message>
            <source>answers noticeably less precise on hard questions</source>
            <translation>answers noticeably less precise on hard questions</translation>
        </message>
        <message>
            <source>answers clearly worse</source>
            <translation>answers clearly worse</translation>
        </message>
        <message>
            <source>How small should it be?</source>
            <translation>How small should it be?</translation>
        </message>
        <message>
            <source>Smaller files need less memory and answer faster, but answer a little less precisely.</source>
            <translation>Smaller files need less memory and answer faster, but answer a little less precisely.</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>Exact type</source>
            <translation>Exact type</translation>
        </message>
        <message>
            <source>Smallest</source>
            <translation>Smallest</translation>
        </message>
        <message>
            <source>Balanced (recommended)</source>
            <translation>Balanced (recommended)</translation>
        </message>
        <message>
            <source>Best quality</source>
            <translation>Best quality</translation>
        </message>
        <message>
            <source>✓ fits this device</source>
            <translation>✓ fits this device</translation>
        </message>
        <message>
            <source>✗ too big for this device</source>
            <translation>✗ too big for this device</translation>
        </message>
        <message>
            <source>Needs about %1 of memory · %2 · %3</source>
            <translation>Needs about %1 of memory · %2 · %3</translation>
        </message>
    </context>
    <context>
        <name>RemoteModelsMenu</name>
        <message>
            <source>Looking for models…</source>
            <translation>Looking for models…</translation>
        </message>
        <message>
            <source>Not answering: %1</source>
            <translation>Not answering: %1</translation>
        </message>
        <message>
            <source>None yet: add a server in Settings › Other computers</source>
            <translation>None yet: add a server in Settings › Other computers</translation>
        </message>
        <message>
            <source>Other computers' models</source>
            <translation>Other computers' models</translation>
        </message>
    </context>
    <context>
        <name>ReportPage</name>
        <message>
            <source>Finished: %1 (%2).</source>
            <translation>Finished: %1 (%2).</translation>
        </message>
        <message>
            <source>✓ Checked: it loads in this app.</source>
            <translation>✓ Checked: it loads in this app.</translation>
        </message>
        <message>
            <source>✗ It did not load in this app. See the details below.</source>
            <translation>✗ It did not load in this app. See the details below.</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>Done</translation>
        </message>
        <message>
            <source>Use this model now</source>
            <translation>Use this model now</translation>
        </message>
        <message>
            <source>Details (technical report)</source>
            <translation>Details (technical report)</translation>
        </message>
    </context>
    <context>
        <name>SearchView</name>
        <message>
            <source>Searching…</source>
            <translation>Searching…</translation>
        </message>
        <message>
            <source>%1 downloads</source>
            <translation>%1 downloads</translation>
        </message>
        <message>
            <source>%1 repositories with GGUF files.</source>
            <translation>%1 repositories with GGUF files.</translation>
        </message>
        <message>
            <source>Nothing found. Try a shorter name.</source>
            <translation>Nothing found. Try a shorter name.</translation>
        </message>
        <message>
            <source>Listing the files of %1…</source>
            <translation>Listing the files of %1…</translation>
        </message>
        <message>
            <source>Download</source>
            <translation>Download</translation>
        </message>
        <message>
            <source>%1 GGUF files.</source>
            <translation>%1 GGUF files.</translation>
        </message>
        <message>
            <source>Search GGUF models on the hub (e.g. qwen3, gemma, elyza)</source>
            <translation>Search GGUF models on the hub (e.g. qwen3, gemma, elyza)</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>Search</translation>
        </message>
        <message>
            <source>File</source>
            <translation>File</translation>
        </message>
        <message>
            <source>Quantization</source>
            <translation>Quantization</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Size</translation>
        </message>
        <message>
            <source>Memory on this computer</source>
            <translation>Memory on this computer</translation>
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
            <source>Other computers</source>
            <translation>Other computers</translation>
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
            <source> tokens</source>
            <translation> tokens</translation>
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
        <name>ShortcutsDialog</name>
        <message>
            <source>New chat</source>
            <translation>New chat</translation>
        </message>
        <message>
            <source>Send the message (Shift+Enter: new line)</source>
            <translation>Send the message (Shift+Enter: new line)</translation>
        </message>
        <message>
            <source>Stop generating</source>
            <translation>Stop generating</translation>
        </message>
        <message>
            <source>Show or hide the conversation list</source>
            <translation>Show or hide the conversation list</translation>
        </message>
        <message>
            <source>Show or hide the advanced settings</source>
            <translation>Show or hide the advanced settings</translation>
        </message>
        <message>
            <source>Documents</source>
            <translation>Documents</translation>
        </message>
        <message>
            <source>Models</source>
            <translation>Models</translation>
        </message>
        <message>
            <source>Settings</source>
            <translation>Settings</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>Quit</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Keyboard shortcuts</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Close</translation>
        </message>
    </context>
    <context>
        <name>SideSheet</name>
        <message>
            <source>Advanced</source>
            <translation>Advanced</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Close</translation>
        </message>
    </context>
    <context>
        <name>SourcePage</name>
        <message>
            <source>Choose the model's folder</source>
            <translation>Choose the model's folder</translation>
        </message>
        <message>
            <source>Choose a folder on this computer, or type a model name such as owner/name.</source>
            <translation>Choose a folder on this computer, or type a model name such as owner/name.</translation>
        </message>
        <message>
            <source>Looking up %1…</source>
            <translation>Looking up %1…</translation>
        </message>
        <message>
            <source>Which model?</source>
            <translation>Which model?</translation>
        </message>
        <message>
            <source>Choose the folder of a model you have downloaded (it holds a file named config.json), or type the name of a model on Hugging Face to download it.</source>
            <translation>Choose the folder of a model you have downloaded (it holds a file named config.json), or type the name of a model on Hugging Face to download it.</translation>
        </message>
        <message>
            <source>A folder, or a name such as HuggingFaceTB/SmolLM2-360M-Instruct</source>
            <translation>A folder, or a name such as HuggingFaceTB/SmolLM2-360M-Instruct</translation>
        </message>
        <message>
            <source>Choose folder…</source>
            <translation>Choose folder…</translation>
        </message>
        <message>
            <source>Only the model's description is read now; nothing large is downloaded before you press Start.</source>
            <translation>Only the model's description is read now; nothing large is downloaded before you press Start.</translation>
        </message>
    </context>
    <context>
        <name>SourcesPanel</name>
        <message numerus="yes">
            <source>%n passage(s)</source>
            <translation>
                <numerusform>%n passage</numerusform>
                <numerusform>%n passages</numerusform>
            </translation>
        </message>
        <message>
            <source>Sources: %1 from %2 used</source>
            <translation>Sources: %1 from %2 used</translation>
        </message>
        <message numerus="yes">
            <source>%n file(s)</source>
            <translation>
                <numerusform>%n file</numerusform>
                <numerusform>%n files</numerusform>
            </translation>
        </message>
        <message>
            <source>(%1 more left out to fit the context window)</source>
            <translation>(%1 more left out to fit the context window)</translation>
        </message>
        <message>
            <source>cited in the answer</source>
            <translation>cited in the answer</translation>
        </message>
        <message>
            <source>Click a source to read its passage; ✓ marks the ones the answer cites.</source>
            <translation>Click a source to read its passage; ✓ marks the ones the answer cites.</translation>
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
            <source>in %1</source>
            <translation>in %1</translation>
        </message>
        <message>
            <source>page %1</source>
            <translation>page %1</translation>
        </message>
        <message>
            <source>section “%1”</source>
            <translation>section “%1”</translation>
        </message>
        <message>
            <source>best match</source>
            <translation>best match</translation>
        </message>
        <message>
            <source>good match</source>
            <translation>good match</translation>
        </message>
        <message>
            <source>weaker match</source>
            <translation>weaker match</translation>
        </message>
        <message>
            <source>Similar in meaning to your search.</source>
            <translation>Similar in meaning to your search.</translation>
        </message>
        <message>
            <source>Contains the words you searched for.</source>
            <translation>Contains the words you searched for.</translation>
        </message>
    </context>
    <context>
        <name>SummaryPage</name>
        <message>
            <source>Start</source>
            <translation>Start</translation>
        </message>
        <message>
            <source>Smallest</source>
            <translation>Smallest</translation>
        </message>
        <message>
            <source>Balanced</source>
            <translation>Balanced</translation>
        </message>
        <message>
            <source>Best quality</source>
            <translation>Best quality</translation>
        </message>
        <message>
            <source>about %1</source>
            <translation>about %1</translation>
        </message>
        <message>
            <source>about %1 needed while converting, %2 free</source>
            <translation>about %1 needed while converting, %2 free</translation>
        </message>
        <message>
            <source>This size is too big for the chosen device; it may not load there.</source>
            <translation>This size is too big for the chosen device; it may not load there.</translation>
        </message>
        <message>
            <source>There is not enough free disk space. Free some space first.</source>
            <translation>There is not enough free disk space. Free some space first.</translation>
        </message>
        <message>
            <source>The model is downloaded first; this needs an internet connection.</source>
            <translation>The model is downloaded first; this needs an internet connection.</translation>
        </message>
        <message>
            <source>Ready to convert</source>
            <translation>Ready to convert</translation>
        </message>
        <message>
            <source>Check the choices, then press Start. You can cancel at any time.</source>
            <translation>Check the choices, then press Start. You can cancel at any time.</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>Model</translation>
        </message>
        <message>
            <source>Device</source>
            <translation>Device</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Size</translation>
        </message>
        <message>
            <source>Memory while chatting</source>
            <translation>Memory while chatting</translation>
        </message>
        <message>
            <source>Disk</source>
            <translation>Disk</translation>
        </message>
        <message>
            <source>File name</source>
            <translation>File name</translation>
        </message>
    </context>
    <context>
        <name>UpdateBar</name>
        <message>
            <source>No downloaded models to check for updates.</source>
            <translation>No downloaded models to check for updates.</translation>
        </message>
        <message>
            <source>Check for updates</source>
            <translation>Check for updates</translation>
        </message>
        <message>
            <source>Checking for updates…</source>
            <translation>Checking for updates…</translation>
        </message>
        <message>
            <source>Could not reach the model hub to check for updates (last checked: %1).</source>
            <translation>Could not reach the model hub to check for updates (last checked: %1).</translation>
        </message>
        <message>
            <source>Could not reach the model hub to check for updates.</source>
            <translation>Could not reach the model hub to check for updates.</translation>
        </message>
        <message numerus="yes">
            <source>Checked for updates on %1: %n update(s) available.</source>
            <translation>
                <numerusform>Checked for updates on %1: %n update available.</numerusform>
                <numerusform>Checked for updates on %1: %n updates available.</numerusform>
            </translation>
        </message>
        <message>
            <source>Checked for updates on %1: your downloaded models are current.</source>
            <translation>Checked for updates on %1: your downloaded models are current.</translation>
        </message>
        <message>
            <source>Downloaded models are compared with the model hub at most once a day, when the library opens.</source>
            <translation>Downloaded models are compared with the model hub at most once a day, when the library opens.</translation>
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
            <source>Open the model library…</source>
            <translation>Open the model library…</translation>
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
    <context>
        <name>Welcome</name>
        <message>
            <source>runs on this computer</source>
            <translation>runs on this computer</translation>
        </message>
        <message>
            <source>close other apps first</source>
            <translation>close other apps first</translation>
        </message>
        <message>
            <source>For Japanese: %1 (%2, %3)</source>
            <translation>For Japanese: %1 (%2, %3)</translation>
        </message>
        <message>
            <source>A better model: %1 (%2, %3)</source>
            <translation>A better model: %1 (%2, %3)</translation>
        </message>
        <message>
            <source>Download and use (%1)</source>
            <translation>Download and use (%1)</translation>
        </message>
        <message>
            <source>Try the download again</source>
            <translation>Try the download again</translation>
        </message>
        <message>
            <source>Downloading %1 %</source>
            <translation>Downloading %1 %</translation>
        </message>
        <message>
            <source>Use %1</source>
            <translation>Use %1</translation>
        </message>
        <message>
            <source>In use</source>
            <translation>In use</translation>
        </message>
        <message>
            <source>Welcome to Tomoshibi</source>
            <translation>Welcome to Tomoshibi</translation>
        </message>
        <message>
            <source>The built-in model, SmolLM2 135M, is tiny: it answers fast on any computer, but only in English and often gets facts wrong. Everything stays on this computer.</source>
            <translation>The built-in model, SmolLM2 135M, is tiny: it answers fast on any computer, but only in English and often gets facts wrong. Everything stays on this computer.</translation>
        </message>
        <message>
            <source>Ask anything. Everything stays on this computer: no network is used.</source>
            <translation>Ask anything. Everything stays on this computer: no network is used.</translation>
        </message>
        <message>
            <source>Summarise this text in three lines:</source>
            <translation>Summarise this text in three lines:</translation>
        </message>
        <message>
            <source>Write a polite email declining a meeting.</source>
            <translation>Write a polite email declining a meeting.</translation>
        </message>
        <message>
            <source>Explain what a GGUF file is, simply.</source>
            <translation>Explain what a GGUF file is, simply.</translation>
        </message>
        <message>
            <source>Try:</source>
            <translation>Try:</translation>
        </message>
        <message>
            <source>Try (this model answers in English):</source>
            <translation>Try (this model answers in English):</translation>
        </message>
        <message>
            <source>Browse all models…</source>
            <translation>Browse all models…</translation>
        </message>
    </context>
</TS>
