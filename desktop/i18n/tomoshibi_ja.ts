<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
    <context>
        <name>AboutDialog</name>
        <message>
            <source>About Tomoshibi</source>
            <translation>Tomoshibi について</translation>
        </message>
        <message>
            <source>Tomoshibi</source>
            <translation>Tomoshibi（灯）</translation>
        </message>
        <message>
            <source>Version %1</source>
            <translation>バージョン %1</translation>
        </message>
        <message>
            <source>An assistant that runs entirely on this computer. Conversations, documents and voice never leave it.</source>
            <translation>このコンピューターの中だけで動くアシスタントです。会話・文書・音声が外に送られることはありません。</translation>
        </message>
        <message>
            <source>Bundled models and their licences</source>
            <translation>同梱モデルとライセンス</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>閉じる</translation>
        </message>
    </context>
    <context>
        <name>ApiPage</name>
        <message>
            <source>Port</source>
            <translation>ポート</translation>
        </message>
        <message>
            <source>API key</source>
            <translation>API キー</translation>
        </message>
        <message>
            <source>Allowed web origins (CORS)</source>
            <translation>許可する Web オリジン (CORS)</translation>
        </message>
        <message>
            <source>None (clients on this computer need no key)</source>
            <translation>なし（このコンピューター内ならキー不要）</translation>
        </message>
        <message>
            <source>The server listens on 127.0.0.1 only. With a key, clients send 'Authorization: Bearer KEY'. Leave the origins empty unless a web page must call the API. Changes apply the next time the server starts.</source>
            <translation>サーバーは 127.0.0.1 だけで待ち受けます。キーを設定すると、クライアントは 'Authorization: Bearer キー' を送ります。Web ページから API を呼ぶ必要がなければ、オリジンは空のままにしてください。変更は次にサーバーを起動したときに反映されます。</translation>
        </message>
    </context>
    <context>
        <name>ApiSection</name>
        <message>
            <source>OpenAI-compatible, on this computer only. It shares the loaded model with the chat: they take turns. Port, API key and CORS are in Settings.</source>
            <translation>OpenAI 互換で、このコンピューター内だけで使えます。読み込んだモデルをチャットと共有し、順番に応答します。ポート・API キー・CORS は設定で変更できます。</translation>
        </message>
    </context>
    <context>
        <name>ApiToggle</name>
        <message>
            <source>Local API server</source>
            <translation>ローカル API サーバー</translation>
        </message>
        <message>
            <source>Let other programs on this computer use the model like an OpenAI endpoint.</source>
            <translation>このコンピューター上の他のプログラムから、OpenAI 互換のエンドポイントとしてモデルを使えるようにします。</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>コピー</translation>
        </message>
        <message>
            <source>Copy the address</source>
            <translation>アドレスをコピー</translation>
        </message>
        <message>
            <source>Off</source>
            <translation>オフ</translation>
        </message>
        <message>
            <source>Starting…</source>
            <translation>開始しています…</translation>
        </message>
        <message>
            <source>Stopping…</source>
            <translation>停止中…</translation>
        </message>
        <message>
            <source>Could not start: %1</source>
            <translation>起動できませんでした：%1</translation>
        </message>
    </context>
    <context>
        <name>Banner</name>
        <message>
            <source>Reload model</source>
            <translation>モデルを再読み込み</translation>
        </message>
        <message>
            <source>Dismiss</source>
            <translation>閉じる</translation>
        </message>
    </context>
    <context>
        <name>CatalogView</name>
        <message>
            <source>%1 of %2 models</source>
            <translation>%2 件中 %1 件のモデル</translation>
        </message>
        <message>
            <source>All kinds</source>
            <translation>すべての種類</translation>
        </message>
        <message>
            <source>Chat</source>
            <translation>チャット</translation>
        </message>
        <message>
            <source>Embedding (documents)</source>
            <translation>埋め込み（文書検索）</translation>
        </message>
        <message>
            <source>Speech</source>
            <translation>音声認識</translation>
        </message>
        <message>
            <source>Any language</source>
            <translation>すべての言語</translation>
        </message>
        <message>
            <source>Fits this computer</source>
            <translation>このコンピューターで動くもの</translation>
        </message>
    </context>
    <context>
        <name>ChatController</name>
        <message>
            <source>No model is loaded. Load one from the model panel; your message will be answered then.</source>
            <translation>モデルが読み込まれていません。モデルパネルから読み込むと、メッセージに返答します。</translation>
        </message>
        <message>
            <source>The document collection %1 no longer exists; it was left out.</source>
            <translation>文書コレクション「%1」が見つからないため、使わずに回答します。</translation>
        </message>
        <message>
            <source>Your documents are searched by keywords only, as no installed embedding model has indexed them. To also find passages that say the same thing in other words, get an embedding model in Model library… and index them again in Documents….</source>
            <translation>インストール済みの埋め込みモデルで索引が作られていないため、文書はキーワードだけで検索しています。言い回しの違う箇所も見つけられるようにするには、「モデルライブラリ…」で埋め込みモデルを入手し、「文書…」で索引を作り直してください。</translation>
        </message>
    </context>
    <context>
        <name>ChatDocuments</name>
        <message>
            <source>Answer from these collections:</source>
            <translation>回答に使うコレクション：</translation>
        </message>
        <message>
            <source>Add files…</source>
            <translation>ファイルを追加…</translation>
        </message>
        <message>
            <source>Add a folder…</source>
            <translation>フォルダーを追加…</translation>
        </message>
        <message>
            <source>Add files to this chat</source>
            <translation>このチャットにファイルを追加</translation>
        </message>
        <message>
            <source>Documents (*.txt *.md *.pdf *.docx);;All files (*)</source>
            <translation>文書 (*.txt *.md *.pdf *.docx);;すべてのファイル (*)</translation>
        </message>
        <message>
            <source>Add a folder to this chat</source>
            <translation>このチャットにフォルダーを追加</translation>
        </message>
        <message>
            <source>Indexing…</source>
            <translation>索引を作成中…</translation>
        </message>
        <message>
            <source>Indexing %1 of %2 files…</source>
            <translation>索引を作成中（%2 件中 %1 件目）…</translation>
        </message>
        <message>
            <source>Indexing: %1 of %2 passages…</source>
            <translation>索引を作成中：%2 か所中 %1 か所…</translation>
        </message>
        <message>
            <source>%1 could not be indexed: %2</source>
            <translation>%1 の索引を作成できませんでした：%2</translation>
        </message>
        <message>
            <source>Answers use your documents: %1</source>
            <translation>回答に使う文書：%1</translation>
        </message>
        <message>
            <source>Documents for this chat: attach a collection, or add files (you can also drop them on the chat)</source>
            <translation>このチャットで使う文書：コレクションを選ぶか、ファイルを追加します（チャットにドロップしても追加できます）</translation>
        </message>
    </context>
    <context>
        <name>ChatView</name>
        <message>
            <source>Ask anything. Everything stays on this computer: no network is used.
Drop files or folders here to ask about your documents.</source>
            <translation>何でも聞いてください。すべてこのコンピューターの中で処理し、ネットワークは使いません。
ファイルやフォルダーをここにドロップすると、その内容について質問できます。</translation>
        </message>
    </context>
    <context>
        <name>ConversationList</name>
        <message>
            <source>writing an answer</source>
            <translation>回答を作成中</translation>
        </message>
        <message>
            <source>waiting in the queue</source>
            <translation>順番待ち</translation>
        </message>
        <message>
            <source>New chat</source>
            <translation>新しいチャット</translation>
        </message>
        <message>
            <source>Rename…</source>
            <translation>名前を変更…</translation>
        </message>
        <message>
            <source>Delete…</source>
            <translation>削除…</translation>
        </message>
        <message>
            <source>Rename conversation</source>
            <translation>会話の名前を変更</translation>
        </message>
        <message>
            <source>Title:</source>
            <translation>タイトル：</translation>
        </message>
        <message>
            <source>Rename</source>
            <translation>名前を変更</translation>
        </message>
        <message>
            <source>Delete conversation</source>
            <translation>会話を削除</translation>
        </message>
        <message>
            <source>Delete “%1”? This cannot be undone.</source>
            <translation>「%1」を削除しますか？元に戻せません。</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>削除</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <source>Today</source>
            <translation>今日</translation>
        </message>
        <message>
            <source>Yesterday</source>
            <translation>昨日</translation>
        </message>
        <message>
            <source>Earlier</source>
            <translation>それ以前</translation>
        </message>
        <message>
            <source>Start a new conversation</source>
            <translation>新しい会話を始める</translation>
        </message>
        <message>
            <source>Search conversations</source>
            <translation>会話を検索</translation>
        </message>
    </context>
    <context>
        <name>ConversationSettings</name>
        <message>
            <source>No preset</source>
            <translation>指定なし</translation>
        </message>
        <message>
            <source>Version %1</source>
            <translation>バージョン %1</translation>
        </message>
        <message>
            <source>Save preset</source>
            <translation>プリセットを保存</translation>
        </message>
        <message>
            <source>Preset name:</source>
            <translation>プリセット名:</translation>
        </message>
        <message>
            <source>This conversation</source>
            <translation>この会話</translation>
        </message>
        <message>
            <source>System prompt</source>
            <translation>システムプロンプト</translation>
        </message>
        <message>
            <source>How the assistant should behave (optional)</source>
            <translation>アシスタントへの指示（任意）</translation>
        </message>
        <message>
            <source>Save as preset…</source>
            <translation>プリセットとして保存…</translation>
        </message>
        <message>
            <source>Temperature</source>
            <translation>温度</translation>
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
            <translation>繰り返しペナルティ</translation>
        </message>
        <message>
            <source>Max tokens</source>
            <translation>最大トークン数</translation>
        </message>
    </context>
    <context>
        <name>ConversionWizard</name>
        <message>
            <source>Back</source>
            <translation>戻る</translation>
        </message>
        <message>
            <source>Next</source>
            <translation>次へ</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>閉じる</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation>完了</translation>
        </message>
        <message>
            <source>Convert a model</source>
            <translation>モデルを変換</translation>
        </message>
    </context>
    <context>
        <name>DevicePage</name>
        <message>
            <source>%1: %2 parameters (%3)</source>
            <translation>%1：パラメーター数 %2（%3）</translation>
        </message>
        <message>
            <source>Smartphone (4 GB)</source>
            <translation>スマートフォン (4 GB)</translation>
        </message>
        <message>
            <source>Mac 8 GB</source>
            <translation>Mac 8 GB</translation>
        </message>
        <message>
            <source>Laptop PC 16 GB</source>
            <translation>ノート PC 16 GB</translation>
        </message>
        <message>
            <source>Desktop with a 24 GB GPU</source>
            <translation>GPU 24 GB デスクトップ</translation>
        </message>
        <message>
            <source>Where will it run?</source>
            <translation>どの端末で使いますか？</translation>
        </message>
        <message>
            <source>Choose the device closest to yours; the size is chosen to fit its memory.</source>
            <translation>お使いの端末にいちばん近いものを選んでください。メモリに収まる大きさを選びます。</translation>
        </message>
        <message>
            <source>A phone lets one app use about 2.5 GB</source>
            <translation>1 つのアプリが使えるのは約 2.5 GB</translation>
        </message>
        <message>
            <source>Apple silicon; about 5 GB for the model</source>
            <translation>Apple シリコン。モデルに使えるのは約 5 GB</translation>
        </message>
        <message>
            <source>With a browser and other apps still open</source>
            <translation>ブラウザーなど他のアプリを開いたままで</translation>
        </message>
        <message>
            <source>Or a workstation with 24 GB of memory</source>
            <translation>メモリ 24 GB のワークステーションも</translation>
        </message>
    </context>
    <context>
        <name>DocumentsPanel</name>
        <message>
            <source>New…</source>
            <translation>新規…</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>削除</translation>
        </message>
        <message>
            <source>Collections</source>
            <translation>コレクション</translation>
        </message>
        <message>
            <source>File</source>
            <translation>ファイル</translation>
        </message>
        <message>
            <source>State</source>
            <translation>状態</translation>
        </message>
        <message>
            <source>Add folder…</source>
            <translation>フォルダーを追加…</translation>
        </message>
        <message>
            <source>Add files…</source>
            <translation>ファイルを追加…</translation>
        </message>
        <message>
            <source>Update index</source>
            <translation>索引を更新</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <source>Search this collection (日本語 or English)…</source>
            <translation>このコレクションを検索（日本語・英語）…</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>検索</translation>
        </message>
        <message>
            <source>Matching passages</source>
            <translation>一致した段落</translation>
        </message>
        <message>
            <source>Click a result to read the whole passage.</source>
            <translation>結果をクリックすると段落全体を表示します。</translation>
        </message>
        <message>
            <source>Get an embedding model…</source>
            <translation>埋め込みモデルを入手…</translation>
        </message>
        <message>
            <source>Create a collection, then add folders or files to it.</source>
            <translation>コレクションを作成し、フォルダーやファイルを追加してください。</translation>
        </message>
        <message numerus="yes">
            <source>%n passage(s)</source>
            <translation>
                <numerusform>%n 件の段落</numerusform>
            </translation>
        </message>
        <message>
            <source>Not indexed: {0}</source>
            <translation>未登録：{0}</translation>
        </message>
        <message>
            <source>Add a folder or files to this collection to search them.</source>
            <translation>このコレクションにフォルダーやファイルを追加すると、検索できるようになります。</translation>
        </message>
        <message>
            <source>Some passages are not indexed for search yet: press “Update index”.</source>
            <translation>まだ検索用の索引に入っていない段落があります。「索引を更新」を押してください。</translation>
        </message>
        <message numerus="yes">
            <source>%n passage(s) indexed.</source>
            <translation>
                <numerusform>%n 件の段落を索引に登録済み。</numerusform>
            </translation>
        </message>
        <message>
            <source>New collection</source>
            <translation>新しいコレクション</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>名前:</translation>
        </message>
        <message>
            <source>Remove collection</source>
            <translation>コレクションを削除</translation>
        </message>
        <message>
            <source>Remove the index of “{0}”? Your files are not touched.</source>
            <translation>「{0}」の索引を削除しますか？ファイル自体は変更されません。</translation>
        </message>
        <message>
            <source>Add a folder</source>
            <translation>フォルダーを追加</translation>
        </message>
        <message>
            <source>Add files</source>
            <translation>ファイルを追加</translation>
        </message>
        <message>
            <source>Documents (*.txt *.md *.markdown *.pdf *.docx)</source>
            <translation>文書 (*.txt *.md *.markdown *.pdf *.docx)</translation>
        </message>
        <message>
            <source>Create a collection first.</source>
            <translation>先にコレクションを作成してください。</translation>
        </message>
        <message>
            <source>Loading the embedding model…</source>
            <translation>埋め込みモデルを読み込み中…</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>キャンセル中…</translation>
        </message>
        <message>
            <source>Embedding passages: {0} of {1}, about {2} s left</source>
            <translation>段落をベクトル化中：{0} / {1}（残り約 {2} 秒）</translation>
        </message>
        <message>
            <source>Embedding passages: {0} of {1}</source>
            <translation>段落をベクトル化中：{0} / {1}</translation>
        </message>
        <message>
            <source>Indexing {0} ({1} of {2})</source>
            <translation>{0} を索引に登録中（{1} / {2}）</translation>
        </message>
        <message>
            <source>{0} added, {1} updated, {2} removed, {3} unchanged.</source>
            <translation>追加 {0}、更新 {1}、削除 {2}、変更なし {3}。</translation>
        </message>
        <message numerus="yes">
            <source>%n file(s) could not be read (see the list).</source>
            <translation>
                <numerusform>%n 個のファイルを読み込めませんでした（一覧を参照）。</numerusform>
            </translation>
        </message>
        <message>
            <source>Indexing was cancelled; what was done is kept. “Update index” goes on.</source>
            <translation>索引作成をキャンセルしました。処理済みの分は残っています。「索引を更新」で続きから再開します。</translation>
        </message>
        <message>
            <source>Searching…</source>
            <translation>検索しています…</translation>
        </message>
        <message numerus="yes">
            <source>%n passage(s) found.</source>
            <translation>
                <numerusform>%n 件の段落が見つかりました。</numerusform>
            </translation>
        </message>
        <message>
            <source>Documents</source>
            <translation>文書</translation>
        </message>
    </context>
    <context>
        <name>DownloadsView</name>
        <message>
            <source>No downloads. Models you download from the catalog or the hub appear here.</source>
            <translation>ダウンロードはありません。カタログやハブからダウンロードしたモデルがここに表示されます。</translation>
        </message>
    </context>
    <context>
        <name>EmbeddingOffer</name>
        <message>
            <source>%1 is installed: documents you add from now on are also found by meaning.</source>
            <translation>%1 をインストールしました。これから追加する文書は、意味でも検索できます。</translation>
        </message>
        <message>
            <source>Better document search: %1, %2</source>
            <translation>文書検索を強化：%1（%2）</translation>
        </message>
        <message>
            <source>Search finds reworded questions much better with an embedding model. Recommended for this computer: %1, %2.</source>
            <translation>埋め込みモデルを入れると、言い回しの違う質問でも文書が見つかりやすくなります。このコンピューターにおすすめ：%1（%2）</translation>
        </message>
        <message>
            <source>Downloading %1 %</source>
            <translation>ダウンロード中 %1 %</translation>
        </message>
        <message>
            <source>Try again</source>
            <translation>もう一度試す</translation>
        </message>
        <message>
            <source>Download</source>
            <translation>ダウンロード</translation>
        </message>
    </context>
    <context>
        <name>ErrorText</name>
        <message>
            <source>You are offline. Connect to the internet, or choose a folder you have already downloaded.</source>
            <translation>オフラインです。インターネットに接続するか、ダウンロード済みのフォルダーを選んでください。</translation>
        </message>
        <message>
            <source>The model site cannot be reached. Check your internet connection and try again, or choose a folder you have already downloaded.</source>
            <translation>モデルの配布サイトにつながりません。インターネット接続を確かめてもう一度試すか、ダウンロード済みのフォルダーを選んでください。</translation>
        </message>
        <message>
            <source>The model site did not answer in time. Try again in a moment; a started download goes on where it stopped.</source>
            <translation>モデルの配布サイトから時間内に応答がありません。少し待ってもう一度試してください。始めたダウンロードは途中から再開します。</translation>
        </message>
        <message>
            <source>This model asks you to accept its licence on its web page before downloading. Accept it there and sign in, then try again.</source>
            <translation>このモデルは、ダウンロードの前に配布ページでライセンスへの同意が必要です。ページで同意してサインインしてから、もう一度試してください。</translation>
        </message>
        <message>
            <source>This model was not found. Check the name (it looks like owner/name) and try again.</source>
            <translation>このモデルが見つかりません。名前（owner/name の形）を確かめてもう一度試してください。</translation>
        </message>
        <message>
            <source>There is not enough free disk space. Free some space or choose another place, then try again.</source>
            <translation>ディスクの空きが足りません。空きを作るか別の場所を選んで、もう一度試してください。</translation>
        </message>
        <message>
            <source>This model needs more memory than this computer has free. Close other apps, or choose a smaller model or a smaller size.</source>
            <translation>このモデルには、このコンピューターの空きメモリより多くのメモリが必要です。他のアプリを閉じるか、小さいモデルや小さい形式を選んでください。</translation>
        </message>
        <message>
            <source>This folder does not hold a model to convert (there is no config.json). Choose the folder that holds config.json and the weight files.</source>
            <translation>このフォルダーには変換できるモデルがありません（config.json がありません）。config.json と重みファイルが入ったフォルダーを選んでください。</translation>
        </message>
        <message>
            <source>This kind of model cannot be converted yet. Choose another model, or download a ready-made GGUF in the model library.</source>
            <translation>この種類のモデルはまだ変換できません。別のモデルを選ぶか、モデルライブラリから変換済みの GGUF をダウンロードしてください。</translation>
        </message>
        <message>
            <source>Cancelled. Nothing half-finished was left behind.</source>
            <translation>キャンセルしました。作りかけのファイルは残っていません。</translation>
        </message>
        <message>
            <source>The model stopped unexpectedly. Reload the model to go on.</source>
            <translation>モデルが予期せず停止しました。続けるにはモデルを再読み込みしてください。</translation>
        </message>
        <message>
            <source>There is not enough free disk space: %1 is needed and %2 is free. Free some space or choose another place, then try again.</source>
            <translation>ディスクの空きが足りません（必要：%1、空き：%2）。空きを作るか別の場所を選んで、もう一度試してください。</translation>
        </message>
        <message>
            <source>Something went wrong: %1</source>
            <translation>問題が起きました：%1</translation>
        </message>
        <message>
            <source>No embedding model is installed, so the chat model's own embeddings are used; reworded questions are found less reliably. Install a multilingual embedding model from the model library.</source>
            <translation>埋め込みモデルが入っていないため、チャットモデルの埋め込みを使っています。言い換えた質問は見つけにくくなります。モデルライブラリから多言語の埋め込みモデルを入れてください。</translation>
        </message>
        <message>
            <source>This collection was indexed with another embedding model; only keyword search is used until you press “Update index”.</source>
            <translation>このコレクションは別の埋め込みモデルで索引づけされています。「索引を更新」を押すまでキーワード検索だけを使います。</translation>
        </message>
        <message>
            <source>No embedding model is installed, so the chat model's own embeddings are used; reworded questions are found less reliably. Install %1, the embedding model recommended for this computer.</source>
            <translation>埋め込みモデルが入っていないため、チャットモデルの埋め込みで検索しています。言い回しの違う質問は見つかりにくくなります。このコンピューターにおすすめの埋め込みモデル %1 をインストールしてください。</translation>
        </message>
    </context>
    <context>
        <name>EvaluationView</name>
        <message>
            <source>Run</source>
            <translation>実行</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>日時</translation>
        </message>
        <message>
            <source>Models</source>
            <translation>モデル</translation>
        </message>
        <message>
            <source>Preset</source>
            <translation>プリセット</translation>
        </message>
        <message>
            <source>Tomoshibi</source>
            <translation>Tomoshibi（灯）</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>モデル</translation>
        </message>
        <message>
            <source>Quantization</source>
            <translation>量子化</translation>
        </message>
        <message>
            <source>Tokens/s</source>
            <translation>トークン/秒</translation>
        </message>
        <message>
            <source>First token</source>
            <translation>最初のトークン</translation>
        </message>
        <message>
            <source>Peak memory</source>
            <translation>ピークメモリ</translation>
        </message>
        <message>
            <source>Checks</source>
            <translation>チェック</translation>
        </message>
        <message>
            <source>Perplexity</source>
            <translation>パープレキシティ</translation>
        </message>
        <message>
            <source>SHA-256</source>
            <translation>SHA-256</translation>
        </message>
        <message>
            <source>Open report</source>
            <translation>レポートを開く</translation>
        </message>
        <message>
            <source>New evaluation…</source>
            <translation>新しい評価…</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <source>A model file changed since an earlier run of the same path.</source>
            <translation>同じパスのモデルファイルが前回の実行以降に変更されています。</translation>
        </message>
        <message>
            <source>This file changed since an earlier run: figures are not comparable.</source>
            <translation>このファイルは前回の実行以降に変更されています。数値は比較できません。</translation>
        </message>
        <message>
            <source>Models to compare</source>
            <translation>比較するモデル</translation>
        </message>
        <message>
            <source>GGUF models (*.gguf)</source>
            <translation>GGUF モデル (*.gguf)</translation>
        </message>
        <message>
            <source>Run %1 finished.</source>
            <translation>実行 %1 が完了しました。</translation>
        </message>
    </context>
    <context>
        <name>HeaderBar</name>
        <message>
            <source>Show or hide the conversation list (%1)</source>
            <translation>会話の一覧を表示／非表示（%1）</translation>
        </message>
        <message>
            <source>New chat</source>
            <translation>新しいチャット</translation>
        </message>
        <message>
            <source>Documents</source>
            <translation>文書</translation>
        </message>
        <message>
            <source>Your documents: collections, indexing and search</source>
            <translation>あなたの文書：コレクション、索引づけ、検索</translation>
        </message>
        <message>
            <source>Advanced</source>
            <translation>詳細設定</translation>
        </message>
        <message>
            <source>Model details, generation settings and the system prompt (%1)</source>
            <translation>モデルの詳細、生成の設定、システムプロンプト（%1）</translation>
        </message>
    </context>
    <context>
        <name>HelpMenu</name>
        <message>
            <source>&amp;Help</source>
            <translation>ヘルプ(&amp;H)</translation>
        </message>
        <message>
            <source>About Tomoshibi</source>
            <translation>Tomoshibi について</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>キーボードショートカット</translation>
        </message>
        <message>
            <source>Open the data folder</source>
            <translation>データフォルダーを開く</translation>
        </message>
        <message>
            <source>Open the log file</source>
            <translation>ログファイルを開く</translation>
        </message>
    </context>
    <context>
        <name>InputBox</name>
        <message>
            <source>Message (Enter to send, Shift+Enter for a new line)</source>
            <translation>メッセージ（Enter で送信、Shift+Enter で改行）</translation>
        </message>
        <message>
            <source>Message (%1+Enter to send, Enter for a new line)</source>
            <translation>メッセージ（%1+Enter で送信、Enter で改行）</translation>
        </message>
    </context>
    <context>
        <name>InstalledView</name>
        <message>
            <source>Documents search</source>
            <translation>文書検索</translation>
        </message>
        <message>
            <source>Chat</source>
            <translation>チャット</translation>
        </message>
        <message>
            <source>Japanese</source>
            <translation>日本語</translation>
        </message>
        <message>
            <source>English</source>
            <translation>英語</translation>
        </message>
        <message>
            <source>many more</source>
            <translation>ほか多言語</translation>
        </message>
        <message>
            <source>In use</source>
            <translation>使用中</translation>
        </message>
        <message>
            <source>Cannot be read</source>
            <translation>読み込めません</translation>
        </message>
        <message>
            <source>Too big for the free memory</source>
            <translation>空きメモリに収まりません</translation>
        </message>
        <message>
            <source>Ready</source>
            <translation>使用できます</translation>
        </message>
        <message>
            <source>Architecture: %1</source>
            <translation>アーキテクチャ：%1</translation>
        </message>
        <message>
            <source>Quantization: %1</source>
            <translation>量子化：%1</translation>
        </message>
        <message>
            <source>Parameters: %1</source>
            <translation>パラメーター数：%1</translation>
        </message>
        <message>
            <source>Longest context: %1 tokens</source>
            <translation>最大コンテキスト：%1 トークン</translation>
        </message>
        <message>
            <source>Needs about %1</source>
            <translation>約 %1 必要</translation>
        </message>
        <message>
            <source>Downloaded models use %1 on disk; %2 free.</source>
            <translation>ダウンロードしたモデルのディスク使用量 %1、空き %2。</translation>
        </message>
        <message>
            <source>No models downloaded yet; %1 free on disk.</source>
            <translation>ダウンロードしたモデルはまだありません。ディスクの空き %1。</translation>
        </message>
        <message>
            <source>Unfinished downloads: %1.</source>
            <translation>未完了のダウンロード：%1。</translation>
        </message>
        <message>
            <source>Speech models and checkpoints: %1.</source>
            <translation>音声モデルとチェックポイント：%1。</translation>
        </message>
        <message>
            <source>Delete model</source>
            <translation>モデルを削除</translation>
        </message>
        <message>
            <source>Delete %1 (%2) from this computer?</source>
            <translation>%1（%2）をこのコンピューターから削除しますか？</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>削除</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <source>Import a GGUF model</source>
            <translation>GGUF モデルをインポート</translation>
        </message>
        <message>
            <source>GGUF models (*.gguf)</source>
            <translation>GGUF モデル (*.gguf)</translation>
        </message>
        <message>
            <source>%1 is already in your models; nothing was copied.</source>
            <translation>%1 はすでにモデルにあります。コピーはしていません。</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>モデル</translation>
        </message>
        <message>
            <source>Models on this computer. Point at a row for its technical details; drop a .gguf file here to import it.</source>
            <translation>このコンピューターにあるモデルです。行にポインターを合わせると技術的な詳細が表示されます。.gguf ファイルをここにドロップするとインポートできます。</translation>
        </message>
        <message>
            <source>Used for</source>
            <translation>用途</translation>
        </message>
        <message>
            <source>Languages</source>
            <translation>言語</translation>
        </message>
        <message>
            <source>Size on disk</source>
            <translation>ディスク上のサイズ</translation>
        </message>
        <message>
            <source>State</source>
            <translation>状態</translation>
        </message>
        <message>
            <source>Import GGUF…</source>
            <translation>GGUF をインポート…</translation>
        </message>
        <message>
            <source>Delete…</source>
            <translation>削除…</translation>
        </message>
        <message>
            <source>Open folder</source>
            <translation>フォルダーを開く</translation>
        </message>
        <message>
            <source>Unload</source>
            <translation>解放</translation>
        </message>
        <message>
            <source>Use in chat</source>
            <translation>チャットで使う</translation>
        </message>
    </context>
    <context>
        <name>IntroPage</name>
        <message>
            <source>Make a model run on your device</source>
            <translation>モデルをあなたの端末で動くようにします</translation>
        </message>
        <message>
            <source>Models published for research (for example on Hugging Face) come as a folder of large files that this app cannot run directly. Converting turns such a model into one file that runs here, and can make it smaller so that it fits the memory of your phone, Mac or PC.</source>
            <translation>研究用に公開されているモデル（Hugging Face など）は大きなファイルの入ったフォルダーで、このアプリではそのまま動かせません。変換すると、このアプリで動く 1 つのファイルになり、スマートフォンや Mac、PC のメモリに収まるよう小さくすることもできます。</translation>
        </message>
        <message>
            <source>What it needs</source>
            <translation>必要なもの</translation>
        </message>
        <message>
            <source>&lt;ul style='margin-left:-20px'&gt;&lt;li&gt;&lt;b&gt;Disk space&lt;/b&gt;: about three times the size of the finished file while it works (shown before you start).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Time&lt;/b&gt;: a few minutes for a small model, up to an hour for a large one. You can keep chatting meanwhile.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Internet&lt;/b&gt;: only if the model is downloaded first. A folder already on this computer converts offline.&lt;/li&gt;&lt;/ul&gt;</source>
            <translation>&lt;ul style='margin-left:-20px'&gt;&lt;li&gt;&lt;b&gt;ディスクの空き&lt;/b&gt;：作業中は完成するファイルの約 3 倍（開始前に表示します）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;時間&lt;/b&gt;：小さなモデルなら数分、大きなモデルでは 1 時間ほど。その間もチャットを続けられます。&lt;/li&gt;&lt;li&gt;&lt;b&gt;インターネット&lt;/b&gt;：モデルを先にダウンロードするときだけ必要です。このコンピューターにあるフォルダーならオフラインで変換できます。&lt;/li&gt;&lt;/ul&gt;</translation>
        </message>
    </context>
    <context>
        <name>LanguageNotice</name>
        <message>
            <source>This model was not trained for Japanese: its answers may be wrong or in English.</source>
            <translation>このモデルは日本語を学習していないため、回答が間違っていたり英語になったりします。</translation>
        </message>
        <message>
            <source>Do not show this again</source>
            <translation>今後表示しない</translation>
        </message>
        <message>
            <source>Get %1 (%2)</source>
            <translation>%1 を入手（%2）</translation>
        </message>
    </context>
    <context>
        <name>LevelMeter</name>
        <message>
            <source>Microphone level</source>
            <translation>マイクの音量</translation>
        </message>
        <message>
            <source>Level: %1 dBFS (peak %2 dBFS)</source>
            <translation>音量：%1 dBFS（ピーク %2 dBFS）</translation>
        </message>
    </context>
    <context>
        <name>Library</name>
        <message>
            <source>needs %1 of your %2</source>
            <translation>必要メモリ %1（このコンピューターは %2）</translation>
        </message>
        <message>
            <source>fits</source>
            <translation>動きます</translation>
        </message>
        <message>
            <source>tight: close other apps</source>
            <translation>ぎりぎり：他のアプリを閉じてください</translation>
        </message>
        <message>
            <source>does not fit</source>
            <translation>メモリ不足</translation>
        </message>
        <message>
            <source>+ more</source>
            <translation>ほか多言語</translation>
        </message>
        <message>
            <source>You are offline: the model hub cannot be reached. Check the internet connection and press Retry; the download continues where it stopped.</source>
            <translation>オフラインです：モデルハブに接続できません。インターネット接続を確認して「再試行」を押してください。ダウンロードは止まったところから続きます。</translation>
        </message>
        <message>
            <source>The hub only gives this model to signed-in users who accepted its licence on the model's page. Accept it there, sign in with an access token, then press Retry.</source>
            <translation>このモデルは、モデルのページでライセンスに同意し、サインインした人だけがダウンロードできます。そこで同意し、アクセストークンでサインインしてから「再試行」を押してください。</translation>
        </message>
        <message>
            <source>This model is no longer on the hub (the repository was removed or renamed). Choose another model.</source>
            <translation>このモデルはハブにもうありません（リポジトリが削除されたか、名前が変わりました）。別のモデルを選んでください。</translation>
        </message>
        <message>
            <source>The hub has no file of this model in the expected size. Choose another model, or pick a file in Search the hub.</source>
            <translation>ハブに、このモデルの想定したサイズのファイルがありません。別のモデルを選ぶか、「ハブを検索」でファイルを選んでください。</translation>
        </message>
        <message>
            <source>Not enough free disk space for this model. Delete models you no longer use (Installed), then press Retry.</source>
            <translation>このモデルを保存するディスクの空きが足りません。使わないモデルを削除（「インストール済み」）してから「再試行」を押してください。</translation>
        </message>
        <message>
            <source>The downloaded file was damaged (its checksum did not match) and was deleted. Press Retry to download it again.</source>
            <translation>ダウンロードしたファイルが壊れていた（チェックサムが一致しない）ため削除しました。「再試行」でもう一度ダウンロードしてください。</translation>
        </message>
        <message>
            <source>The connection dropped several times. Press Retry: the download continues where it stopped.</source>
            <translation>接続が何度も切れました。「再試行」を押すと、止まったところから続きます。</translation>
        </message>
        <message>
            <source>The download failed. Press Retry; if it fails again, try later.</source>
            <translation>ダウンロードに失敗しました。「再試行」を押してください。また失敗する場合は、時間をおいて試してください。</translation>
        </message>
        <message>
            <source>%1 s left</source>
            <translation>残り %1 秒</translation>
        </message>
        <message>
            <source>%1 min left</source>
            <translation>残り %1 分</translation>
        </message>
        <message>
            <source>%1 h %2 min left</source>
            <translation>残り %1 時間 %2 分</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 / %2</translation>
        </message>
        <message>
            <source>Starting…</source>
            <translation>開始しています…</translation>
        </message>
        <message>
            <source>Paused</source>
            <translation>一時停止中</translation>
        </message>
        <message>
            <source>Downloaded. It is in Installed and in the chat's model list.</source>
            <translation>ダウンロードしました。「インストール済み」とチャットのモデル一覧にあります。</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>キャンセルしました</translation>
        </message>
        <message>
            <source>Connecting…</source>
            <translation>接続しています…</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>一時停止</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>再試行</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>再開</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>一覧から消す</translation>
        </message>
        <message>
            <source>The new version is downloaded and verified, but the old file is in use by the loaded model. Load another model, then press Retry to put the new one in place.</source>
            <translation>新しい版のダウンロードと確認は済みましたが、古いファイルは読み込み中のモデルが使っています。別のモデルを読み込んでから「再試行」を押すと、新しい版に置き換わります。</translation>
        </message>
        <message>
            <source>Update: %1</source>
            <translation>更新：%1</translation>
        </message>
        <message>
            <source>Updated: the new version replaced the old one after its checksum was verified.</source>
            <translation>更新しました。チェックサムを確認したうえで、新しい版に置き換えました。</translation>
        </message>
        <message>
            <source>Update cancelled: the installed version is unchanged.</source>
            <translation>更新を取り消しました。インストール済みの版はそのままです。</translation>
        </message>
    </context>
    <context>
        <name>LibraryWindow</name>
        <message>
            <source>Downloads</source>
            <translation>ダウンロード</translation>
        </message>
        <message>
            <source>Model library</source>
            <translation>モデルライブラリ</translation>
        </message>
        <message>
            <source>Catalog</source>
            <translation>カタログ</translation>
        </message>
        <message>
            <source>Search the hub</source>
            <translation>ハブを検索</translation>
        </message>
        <message>
            <source>Installed</source>
            <translation>インストール済み</translation>
        </message>
    </context>
    <context>
        <name>LicenceDialog</name>
        <message>
            <source>Licence of %1</source>
            <translation>%1 のライセンス</translation>
        </message>
        <message>
            <source>%1 is published under the %2 licence. Read it before you download the model; by downloading you accept its terms.</source>
            <translation>%1 は %2 ライセンスで公開されています。ダウンロードする前にお読みください。ダウンロードすると、その条件に同意したことになります。</translation>
        </message>
        <message>
            <source>Read the licence</source>
            <translation>ライセンスを読む</translation>
        </message>
        <message>
            <source>The hub also asks you to accept it on the model's page and to sign in with an access token.</source>
            <translation>ハブのモデルページでも同意し、アクセストークンでサインインする必要があります。</translation>
        </message>
        <message>
            <source>Accept and download</source>
            <translation>同意してダウンロード</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Prompt presets</source>
            <translation>プロンプトプリセット</translation>
        </message>
        <message>
            <source>Evaluate models</source>
            <translation>モデルの評価</translation>
        </message>
        <message>
            <source>Documents</source>
            <translation>文書</translation>
        </message>
        <message>
            <source>Waiting for the model to finish loading…</source>
            <translation>モデルの読み込み完了を待っています…</translation>
        </message>
        <message>
            <source>Generating… (Esc to stop)</source>
            <translation>生成中…（Esc で停止）</translation>
        </message>
        <message>
            <source>Writing an answer in another conversation…</source>
            <translation>別の会話で回答を作成中…</translation>
        </message>
        <message>
            <source>%1 waiting</source>
            <translation>%1 件が順番待ち</translation>
        </message>
        <message>
            <source>Loading %1…</source>
            <translation>%1 を読み込み中…</translation>
        </message>
        <message>
            <source>Ready: %1</source>
            <translation>準備完了：%1</translation>
        </message>
        <message>
            <source>No model loaded</source>
            <translation>モデル未読み込み</translation>
        </message>
        <message>
            <source>API: %1</source>
            <translation>API: %1</translation>
        </message>
        <message>
            <source>Tomoshibi</source>
            <translation>Tomoshibi（灯）</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>表示(&amp;V)</translation>
        </message>
        <message>
            <source>Conversation list</source>
            <translation>会話の一覧</translation>
        </message>
        <message>
            <source>Advanced settings</source>
            <translation>詳細設定</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>送信</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>停止</translation>
        </message>
        <message>
            <source>Stop generating (Esc)</source>
            <translation>生成を停止（Esc）</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>ファイル(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Model</source>
            <translation>モデル(&amp;M)</translation>
        </message>
        <message>
            <source>New chat</source>
            <translation>新しいチャット</translation>
        </message>
        <message>
            <source>Documents…</source>
            <translation>文書…</translation>
        </message>
        <message>
            <source>Settings…</source>
            <translation>設定…</translation>
        </message>
        <message>
            <source>Quit Tomoshibi</source>
            <translation>Tomoshibi を終了</translation>
        </message>
        <message>
            <source>Model library…</source>
            <translation>モデルライブラリ…</translation>
        </message>
        <message>
            <source>Installed models…</source>
            <translation>インストール済みのモデル…</translation>
        </message>
        <message>
            <source>Convert a model…</source>
            <translation>モデルを変換…</translation>
        </message>
        <message>
            <source>Reload model</source>
            <translation>モデルを再読み込み</translation>
        </message>
        <message>
            <source>Stop generating</source>
            <translation>生成を停止</translation>
        </message>
        <message>
            <source>&amp;Tools</source>
            <translation>ツール(&amp;T)</translation>
        </message>
        <message>
            <source>Prompt presets…</source>
            <translation>プロンプトプリセット…</translation>
        </message>
        <message>
            <source>Evaluate models…</source>
            <translation>モデルを評価…</translation>
        </message>
        <message>
            <source>Local API server</source>
            <translation>ローカル API サーバー</translation>
        </message>
        <message>
            <source>In the queue behind another conversation's answer (Esc cancels this one)</source>
            <translation>順番待ち：別の会話の回答のあとに書きます（Esc でこの質問を取り消し）</translation>
        </message>
    </context>
    <context>
        <name>MessageWidget</name>
        <message>
            <source>Copy</source>
            <translation>コピー</translation>
        </message>
        <message>
            <source>Thinking…</source>
            <translation>考え中…</translation>
        </message>
        <message>
            <source>%1 tokens/s</source>
            <translation>%1 トークン/秒</translation>
        </message>
        <message>
            <source>cut off at the length limit</source>
            <translation>長さの上限で打ち切り</translation>
        </message>
        <message>
            <source>stopped</source>
            <translation>停止</translation>
        </message>
        <message>
            <source>interrupted: the engine stopped</source>
            <translation>中断：エンジンが停止しました</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>失敗</translation>
        </message>
        <message>
            <source>interrupted</source>
            <translation>中断</translation>
        </message>
        <message>
            <source>Copied</source>
            <translation>コピーしました</translation>
        </message>
        <message>
            <source>You</source>
            <translation>あなた</translation>
        </message>
        <message>
            <source>Assistant</source>
            <translation>アシスタント</translation>
        </message>
        <message>
            <source>Copy the whole message</source>
            <translation>メッセージ全体をコピー</translation>
        </message>
        <message>
            <source>Edit</source>
            <translation>編集</translation>
        </message>
        <message>
            <source>Change this message and send it again (the old one stays as a version)</source>
            <translation>このメッセージを書き直して送り直します（元のメッセージは別のバージョンとして残ります）</translation>
        </message>
        <message>
            <source>Write this answer again (the old one stays as a version)</source>
            <translation>回答を作り直します（元の回答は別のバージョンとして残ります）</translation>
        </message>
        <message>
            <source>Previous version</source>
            <translation>前のバージョン</translation>
        </message>
        <message>
            <source>Next version</source>
            <translation>次のバージョン</translation>
        </message>
        <message>
            <source>Regenerate</source>
            <translation>再生成</translation>
        </message>
        <message>
            <source>Save and send</source>
            <translation>保存して送信</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <source>In the queue: starts when the answer being written in another conversation (●) is done…</source>
            <translation>順番待ち：別の会話（●）の回答が終わると書き始めます…</translation>
        </message>
    </context>
    <context>
        <name>ModelCard</name>
        <message>
            <source>Download</source>
            <translation>ダウンロード</translation>
        </message>
        <message>
            <source>Downloading %1 %</source>
            <translation>ダウンロード中 %1 %</translation>
        </message>
        <message>
            <source>Downloading…</source>
            <translation>ダウンロード中…</translation>
        </message>
        <message>
            <source>Resume (%1 %)</source>
            <translation>再開（%1 %）</translation>
        </message>
        <message>
            <source>Retry download</source>
            <translation>ダウンロードを再試行</translation>
        </message>
        <message>
            <source>Use</source>
            <translation>使う</translation>
        </message>
        <message>
            <source>In use</source>
            <translation>使用中</translation>
        </message>
        <message>
            <source>Installed</source>
            <translation>インストール済み</translation>
        </message>
        <message>
            <source>Convert…</source>
            <translation>変換…</translation>
        </message>
        <message>
            <source>Built in</source>
            <translation>内蔵</translation>
        </message>
        <message>
            <source>%1 download</source>
            <translation>ダウンロード %1</translation>
        </message>
        <message>
            <source>built in, %1</source>
            <translation>内蔵、%1</translation>
        </message>
        <message>
            <source>converted after download</source>
            <translation>ダウンロード後に変換</translation>
        </message>
        <message>
            <source>Update</source>
            <translation>更新</translation>
        </message>
        <message>
            <source>A newer version is on the hub. You are using this model now: the new version is used the next time it is loaded.</source>
            <translation>モデルハブに新しい版があります。いま使用中のため、新しい版は次に読み込むときから使われます。</translation>
        </message>
        <message>
            <source>A newer version is on the hub.</source>
            <translation>モデルハブに新しい版があります。</translation>
        </message>
        <message>
            <source>Updating: you keep using the installed version; the new one is used the next time the model is loaded.</source>
            <translation>更新中です。今の版をそのまま使えます。新しい版は次にモデルを読み込むときから使われます。</translation>
        </message>
        <message>
            <source>Updating: the installed version keeps working until the new one is verified.</source>
            <translation>更新中です。新しい版の確認が済むまで、今の版をそのまま使えます。</translation>
        </message>
        <message>
            <source>Updated. The new version is used the next time this model is loaded.</source>
            <translation>更新しました。新しい版は、次にこのモデルを読み込むときから使われます。</translation>
        </message>
        <message>
            <source>%1 · %2 · licence: %3</source>
            <translation>%1 · %2 · ライセンス：%3</translation>
        </message>
        <message>
            <source>Recommended for this computer</source>
            <translation>このコンピューターにおすすめ</translation>
        </message>
    </context>
    <context>
        <name>ModelManager</name>
        <message>
            <source>Models</source>
            <translation>モデル</translation>
        </message>
    </context>
    <context>
        <name>ModelPanel</name>
        <message>
            <source>%1 tokens/s</source>
            <translation>%1 トークン/秒</translation>
        </message>
        <message>
            <source>No model</source>
            <translation>モデルなし</translation>
        </message>
        <message>
            <source>Not loaded</source>
            <translation>未読み込み</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>読み込み中…</translation>
        </message>
        <message>
            <source>Ready</source>
            <translation>準備完了</translation>
        </message>
        <message>
            <source>Could not load</source>
            <translation>読み込めませんでした</translation>
        </message>
        <message>
            <source>%1 tokens</source>
            <translation>%1 トークン</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>モデル</translation>
        </message>
        <message>
            <source>Architecture</source>
            <translation>アーキテクチャ</translation>
        </message>
        <message>
            <source>Quantization</source>
            <translation>量子化</translation>
        </message>
        <message>
            <source>Backend</source>
            <translation>バックエンド</translation>
        </message>
        <message>
            <source>GPU layers</source>
            <translation>GPU レイヤー</translation>
        </message>
        <message>
            <source>Context</source>
            <translation>コンテキスト</translation>
        </message>
        <message>
            <source>Speed</source>
            <translation>速度</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>メモリ</translation>
        </message>
        <message>
            <source>Models…</source>
            <translation>モデル…</translation>
        </message>
        <message>
            <source>Local models: load, import, delete</source>
            <translation>ローカルモデル：読み込み・インポート・削除</translation>
        </message>
        <message>
            <source>Reload</source>
            <translation>再読み込み</translation>
        </message>
        <message>
            <source>Unload</source>
            <translation>解放</translation>
        </message>
    </context>
    <context>
        <name>ModelPicker</name>
        <message>
            <source>Loading…</source>
            <translation>読み込み中…</translation>
        </message>
        <message>
            <source>Could not load</source>
            <translation>読み込めませんでした</translation>
        </message>
        <message>
            <source>Model:</source>
            <translation>モデル：</translation>
        </message>
        <message>
            <source>Model library…</source>
            <translation>モデルライブラリ…</translation>
        </message>
        <message>
            <source>The model this conversation uses. Pick another to switch; it loads in the background.</source>
            <translation>この会話で使うモデル。別のものを選ぶと切り替わり、裏で読み込みます。</translation>
        </message>
    </context>
    <context>
        <name>OtherComputersPage</name>
        <message>
            <source>This address is not valid. Write it like http://192.168.1.30:8080/v1.</source>
            <translation>このアドレスは使えません。http://192.168.1.30:8080/v1 のように入力してください。</translation>
        </message>
        <message>
            <source>Add</source>
            <translation>追加</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>削除</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>名前</translation>
        </message>
        <message>
            <source>This address is not valid. Write the other computer's address and port, for example 192.168.1.20:50052.</source>
            <translation>このアドレスは正しくありません。相手のコンピューターのアドレスとポートを、192.168.1.20:50052 のように入力してください。</translation>
        </message>
        <message>
            <source>Use another computer's memory and graphics card to run models too big for this one, or chat with models that another computer runs. Everything stays on your own network.</source>
            <translation>他のコンピューターのメモリやグラフィックスカードを借りて、このコンピューターだけでは大きすぎるモデルを動かしたり、他のコンピューターで動いているモデルとチャットしたりできます。やり取りはお使いのネットワークの中だけで行われます。</translation>
        </message>
        <message>
            <source>Run bigger models with your other computers</source>
            <translation>他のコンピューターの力で大きなモデルを動かす</translation>
        </message>
        <message>
            <source>Add the computers that should help. Tomoshibi shares the model among them by their free memory; this computer does the rest. A computer that cannot be reached is skipped.</source>
            <translation>手伝ってもらうコンピューターを追加してください。モデルは各コンピューターの空きメモリに応じて分担され、残りはこのコンピューターが受け持ちます。つながらないコンピューターは使われません。</translation>
        </message>
        <message>
            <source>Chat with models on another computer</source>
            <translation>他のコンピューターのモデルとチャットする</translation>
        </message>
        <message>
            <source>Add a computer that runs a model server. Its models then appear in the model list, next to the ones on this computer.</source>
            <translation>モデルのサーバーを動かしているコンピューターを追加してください。そのモデルが、このコンピューターのモデルと並んでモデル一覧に表示されます。</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>詳細</translation>
        </message>
        <message>
            <source>The other computer's address and port (host:port), as tomoshibi rpc-worker prints it.</source>
            <translation>相手のコンピューターのアドレスとポート（host:port）。tomoshibi rpc-worker が表示するものです。</translation>
        </message>
        <message>
            <source>Address, for example %1</source>
            <translation>アドレス（例：%1）</translation>
        </message>
        <message>
            <source>A name you choose, shown in the model list.</source>
            <translation>モデル一覧に表示される名前（自由に付けられます）。</translation>
        </message>
        <message>
            <source>The server's address (an OpenAI-compatible /v1 address).</source>
            <translation>サーバーのアドレス（OpenAI 互換の /v1 アドレス）。</translation>
        </message>
        <message>
            <source>Access key (optional)</source>
            <translation>アクセスキー（任意）</translation>
        </message>
        <message>
            <source>The server's API key, if it asks for one.</source>
            <translation>サーバーが求める場合の API キー。</translation>
        </message>
        <message>
            <source>On each computer, run: tomoshibi rpc-worker. The model's layers are shared among these computers by their free memory; this computer keeps the rest. Unreachable ones are skipped. llama.cpp's RPC has no password and no encryption: use it only between your own computers, over an SSH tunnel if the network is not yours alone.</source>
            <translation>各コンピューターで tomoshibi rpc-worker を実行してください。モデルの層は空きメモリに応じてこれらのコンピューターに割り振られ、残りはこのコンピューターが受け持ちます。応答しないコンピューターは飛ばして読み込みます。llama.cpp の RPC にはパスワードも暗号化もありません。自分のコンピューターどうしだけで使い、共用のネットワークでは SSH トンネルを通してください。</translation>
        </message>
        <message>
            <source>Keys are kept in the system keychain.</source>
            <translation>キーはシステムのキーチェーンに保存されます。</translation>
        </message>
        <message>
            <source>No system keychain was found: keys are kept only until Tomoshibi closes.</source>
            <translation>システムのキーチェーンが見つからないため、キーは Tomoshibi を閉じるまでしか保持されません。</translation>
        </message>
        <message>
            <source>Any OpenAI-compatible server: tomoshibi serve on another computer, llama-server, Ollama, LM Studio. Its models appear in the Model menu.</source>
            <translation>OpenAI 互換のサーバーなら使えます（別のコンピューターの tomoshibi serve、llama-server、Ollama、LM Studio など）。サーバーのモデルは「モデル」メニューに表示されます。</translation>
        </message>
        <message>
            <source>this computer</source>
            <translation>このコンピューター</translation>
        </message>
        <message>
            <source>Layers:</source>
            <translation>層の配置:</translation>
        </message>
    </context>
    <context>
        <name>PresetsView</name>
        <message>
            <source>Name</source>
            <translation>名前</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>説明</translation>
        </message>
        <message>
            <source>System prompt</source>
            <translation>システムプロンプト</translation>
        </message>
        <message>
            <source>User message</source>
            <translation>ユーザーメッセージ</translation>
        </message>
        <message>
            <source>Variables</source>
            <translation>変数</translation>
        </message>
        <message>
            <source>Temperature</source>
            <translation>温度</translation>
        </message>
        <message>
            <source>Max tokens</source>
            <translation>最大トークン数</translation>
        </message>
        <message>
            <source>JSON mode</source>
            <translation>JSON モード</translation>
        </message>
        <message>
            <source>JSON schema</source>
            <translation>JSON スキーマ</translation>
        </message>
        <message>
            <source>{{input}} is replaced by what you type; {{name}} by a variable.</source>
            <translation>{{input}} は入力した内容に、{{name}} は変数に置き換えられます。</translation>
        </message>
        <message>
            <source>New</source>
            <translation>新規</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>削除</translation>
        </message>
        <message>
            <source>Import…</source>
            <translation>インポート…</translation>
        </message>
        <message>
            <source>Export…</source>
            <translation>エクスポート…</translation>
        </message>
        <message>
            <source>Restore this version</source>
            <translation>このバージョンに戻す</translation>
        </message>
        <message>
            <source>History</source>
            <translation>履歴</translation>
        </message>
        <message>
            <source>Version %1</source>
            <translation>バージョン %1</translation>
        </message>
        <message>
            <source>Not saved yet</source>
            <translation>未保存</translation>
        </message>
        <message>
            <source>Saved %1 as version %2.</source>
            <translation>%1 をバージョン %2 として保存しました。</translation>
        </message>
        <message>
            <source>This is the current version.</source>
            <translation>これが現在のバージョンです。</translation>
        </message>
        <message>
            <source>Import a preset</source>
            <translation>プリセットをインポート</translation>
        </message>
        <message>
            <source>Presets (*.toml)</source>
            <translation>プリセット (*.toml)</translation>
        </message>
        <message>
            <source>Export the preset</source>
            <translation>プリセットをエクスポート</translation>
        </message>
    </context>
    <context>
        <name>ProgressPage</name>
        <message>
            <source>Starting…</source>
            <translation>開始しています…</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>完了</translation>
        </message>
        <message>
            <source>Downloading the model…</source>
            <translation>モデルをダウンロードしています…</translation>
        </message>
        <message>
            <source>Converting…</source>
            <translation>変換しています…</translation>
        </message>
        <message>
            <source>Making it smaller…</source>
            <translation>小さくしています…</translation>
        </message>
        <message>
            <source>Checking that it works…</source>
            <translation>動くか確かめています…</translation>
        </message>
        <message>
            <source>Working…</source>
            <translation>処理しています…</translation>
        </message>
        <message>
            <source>About %1 left</source>
            <translation>残り約 %1</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 秒</translation>
        </message>
        <message>
            <source>%1 min</source>
            <translation>%1 分</translation>
        </message>
        <message>
            <source>%1 h %2 min</source>
            <translation>%1 時間 %2 分</translation>
        </message>
        <message>
            <source>The conversion stopped.</source>
            <translation>変換が中止されました。</translation>
        </message>
        <message>
            <source>The conversion did not finish</source>
            <translation>変換を完了できませんでした</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>キャンセル中…</translation>
        </message>
        <message>
            <source>Converting</source>
            <translation>変換中</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
    </context>
    <context>
        <name>QFileDialog</name>
        <message>
            <source>&amp;Look in:</source>
            <translation>場所(&amp;L):</translation>
        </message>
        <message>
            <source>Files of &amp;type:</source>
            <translation>ファイルの種類(&amp;T):</translation>
        </message>
        <message>
            <source>Look in:</source>
            <translation>場所:</translation>
        </message>
        <message>
            <source>Files of type:</source>
            <translation>ファイルの種類:</translation>
        </message>
    </context>
    <context>
        <name>QualityPage</name>
        <message>
            <source>Estimated memory while chatting: about %1 with a %2-token conversation.</source>
            <translation>チャット中に使うメモリの見積もり：%2 トークンの会話で約 %1。</translation>
        </message>
        <message>
            <source>answers almost unchanged</source>
            <translation>回答はほとんど変わりません</translation>
        </message>
        <message>
            <source>answers slightly less precise</source>
            <translation>回答の正確さがわずかに下がります</translation>
        </message>
        <message>
            <source>answers noticeably less precise on hard questions</source>
            <translation>難しい質問では回答の正確さがやや下がります</translation>
        </message>
        <message>
            <source>answers clearly worse</source>
            <translation>回答がはっきり悪くなります</translation>
        </message>
        <message>
            <source>How small should it be?</source>
            <translation>どのくらい小さくしますか？</translation>
        </message>
        <message>
            <source>Smaller files need less memory and answer faster, but answer a little less precisely.</source>
            <translation>小さいほどメモリが少なくて済み速く答えますが、回答の正確さは少し下がります。</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>詳細</translation>
        </message>
        <message>
            <source>Exact type</source>
            <translation>正確な形式</translation>
        </message>
        <message>
            <source>Smallest</source>
            <translation>いちばん小さく</translation>
        </message>
        <message>
            <source>Balanced (recommended)</source>
            <translation>バランス（おすすめ）</translation>
        </message>
        <message>
            <source>Best quality</source>
            <translation>品質優先</translation>
        </message>
        <message>
            <source>✓ fits this device</source>
            <translation>✓ この端末に収まります</translation>
        </message>
        <message>
            <source>✗ too big for this device</source>
            <translation>✗ この端末には大きすぎます</translation>
        </message>
        <message>
            <source>Needs about %1 of memory · %2 · %3</source>
            <translation>必要メモリ 約 %1 · %2 · %3</translation>
        </message>
    </context>
    <context>
        <name>RemoteModelsMenu</name>
        <message>
            <source>Looking for models…</source>
            <translation>モデルを探しています…</translation>
        </message>
        <message>
            <source>Not answering: %1</source>
            <translation>応答なし：%1</translation>
        </message>
        <message>
            <source>None yet: add a server in Settings › Other computers</source>
            <translation>まだありません（設定 › 他のコンピューター でサーバーを追加）</translation>
        </message>
        <message>
            <source>Other computers' models</source>
            <translation>他のコンピューターのモデル</translation>
        </message>
    </context>
    <context>
        <name>ReportPage</name>
        <message>
            <source>Finished: %1 (%2).</source>
            <translation>完成しました：%1（%2）</translation>
        </message>
        <message>
            <source>✓ Checked: it loads in this app.</source>
            <translation>✓ 確認済み：このアプリで読み込めます。</translation>
        </message>
        <message>
            <source>✗ It did not load in this app. See the details below.</source>
            <translation>✗ このアプリで読み込めませんでした。下の詳細を見てください。</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>完了</translation>
        </message>
        <message>
            <source>Use this model now</source>
            <translation>このモデルを今すぐ使う</translation>
        </message>
        <message>
            <source>Details (technical report)</source>
            <translation>詳細（技術レポート）</translation>
        </message>
    </context>
    <context>
        <name>SearchView</name>
        <message>
            <source>Searching…</source>
            <translation>検索しています…</translation>
        </message>
        <message>
            <source>%1 downloads</source>
            <translation>ダウンロード数 %1</translation>
        </message>
        <message>
            <source>%1 repositories with GGUF files.</source>
            <translation>GGUF ファイルのあるリポジトリ %1 件。</translation>
        </message>
        <message>
            <source>Nothing found. Try a shorter name.</source>
            <translation>見つかりませんでした。もっと短い名前で試してください。</translation>
        </message>
        <message>
            <source>Listing the files of %1…</source>
            <translation>%1 のファイルを取得しています…</translation>
        </message>
        <message>
            <source>Download</source>
            <translation>ダウンロード</translation>
        </message>
        <message>
            <source>%1 GGUF files.</source>
            <translation>GGUF ファイル %1 件。</translation>
        </message>
        <message>
            <source>Search GGUF models on the hub (e.g. qwen3, gemma, elyza)</source>
            <translation>ハブの GGUF モデルを検索（例：qwen3、gemma、elyza）</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>検索</translation>
        </message>
        <message>
            <source>File</source>
            <translation>ファイル</translation>
        </message>
        <message>
            <source>Quantization</source>
            <translation>量子化</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>サイズ</translation>
        </message>
        <message>
            <source>Memory on this computer</source>
            <translation>このコンピューターでのメモリ</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Settings</source>
            <translation>設定</translation>
        </message>
        <message>
            <source>General</source>
            <translation>一般</translation>
        </message>
        <message>
            <source>Voice input</source>
            <translation>音声入力</translation>
        </message>
        <message>
            <source>Local API server</source>
            <translation>ローカル API サーバー</translation>
        </message>
        <message>
            <source>Other computers</source>
            <translation>他のコンピューター</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>言語</translation>
        </message>
        <message>
            <source>Appearance</source>
            <translation>外観</translation>
        </message>
        <message>
            <source>Send with</source>
            <translation>送信キー</translation>
        </message>
        <message>
            <source>Context length</source>
            <translation>コンテキスト長</translation>
        </message>
        <message>
            <source> tokens</source>
            <translation> トークン</translation>
        </message>
        <message>
            <source>A longer context remembers more of the conversation but needs more memory. It applies the next time a model loads.</source>
            <translation>コンテキストを長くすると会話をより多く覚えますが、メモリを多く使います。次にモデルを読み込むときに反映されます。</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>OK</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>適用</translation>
        </message>
        <message>
            <source>Same as the system</source>
            <translation>システムに合わせる</translation>
        </message>
        <message>
            <source>Light</source>
            <translation>ライト</translation>
        </message>
        <message>
            <source>Dark</source>
            <translation>ダーク</translation>
        </message>
        <message>
            <source>System default</source>
            <translation>システムに合わせる</translation>
        </message>
        <message>
            <source>Enter (Shift+Enter for a new line)</source>
            <translation>Enter（Shift+Enter で改行）</translation>
        </message>
        <message>
            <source>%1+Enter (Enter for a new line)</source>
            <translation>%1+Enter（Enter で改行）</translation>
        </message>
    </context>
    <context>
        <name>ShortcutsDialog</name>
        <message>
            <source>New chat</source>
            <translation>新しいチャット</translation>
        </message>
        <message>
            <source>Send the message (Shift+Enter: new line)</source>
            <translation>メッセージを送信（Shift+Enter で改行）</translation>
        </message>
        <message>
            <source>Stop generating</source>
            <translation>生成を停止</translation>
        </message>
        <message>
            <source>Show or hide the conversation list</source>
            <translation>会話の一覧を表示／非表示</translation>
        </message>
        <message>
            <source>Show or hide the advanced settings</source>
            <translation>詳細設定を表示／非表示</translation>
        </message>
        <message>
            <source>Documents</source>
            <translation>文書</translation>
        </message>
        <message>
            <source>Models</source>
            <translation>モデル</translation>
        </message>
        <message>
            <source>Settings</source>
            <translation>設定</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>終了</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>キーボードショートカット</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>閉じる</translation>
        </message>
    </context>
    <context>
        <name>SideSheet</name>
        <message>
            <source>Advanced</source>
            <translation>詳細設定</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>閉じる</translation>
        </message>
    </context>
    <context>
        <name>SourcePage</name>
        <message>
            <source>Choose the model's folder</source>
            <translation>モデルのフォルダーを選ぶ</translation>
        </message>
        <message>
            <source>Choose a folder on this computer, or type a model name such as owner/name.</source>
            <translation>このコンピューターのフォルダーを選ぶか、owner/name の形でモデル名を入力してください。</translation>
        </message>
        <message>
            <source>Looking up %1…</source>
            <translation>%1 を確認しています…</translation>
        </message>
        <message>
            <source>Which model?</source>
            <translation>どのモデルを変換しますか？</translation>
        </message>
        <message>
            <source>Choose the folder of a model you have downloaded (it holds a file named config.json), or type the name of a model on Hugging Face to download it.</source>
            <translation>ダウンロード済みのモデルのフォルダー（config.json というファイルが入っています）を選ぶか、Hugging Face のモデル名を入力してダウンロードします。</translation>
        </message>
        <message>
            <source>A folder, or a name such as HuggingFaceTB/SmolLM2-360M-Instruct</source>
            <translation>フォルダー、または HuggingFaceTB/SmolLM2-360M-Instruct のような名前</translation>
        </message>
        <message>
            <source>Choose folder…</source>
            <translation>フォルダーを選ぶ…</translation>
        </message>
        <message>
            <source>Only the model's description is read now; nothing large is downloaded before you press Start.</source>
            <translation>ここではモデルの説明だけを読みます。「開始」を押すまで大きなダウンロードはしません。</translation>
        </message>
    </context>
    <context>
        <name>SourcesPanel</name>
        <message numerus="yes">
            <source>%n passage(s)</source>
            <translation>
                <numerusform>%n か所</numerusform>
            </translation>
        </message>
        <message>
            <source>Sources: %1 from %2 used</source>
            <translation>出典：%2から %1を参照</translation>
        </message>
        <message numerus="yes">
            <source>%n file(s)</source>
            <translation>
                <numerusform>%n 件のファイル</numerusform>
            </translation>
        </message>
        <message>
            <source>(%1 more left out to fit the context window)</source>
            <translation>（コンテキストに収めるため、他の %1 か所は省略）</translation>
        </message>
        <message>
            <source>cited in the answer</source>
            <translation>回答で引用</translation>
        </message>
        <message>
            <source>Click a source to read its passage; ✓ marks the ones the answer cites.</source>
            <translation>出典をクリックすると該当箇所を表示します。✓ は回答が引用した出典です。</translation>
        </message>
    </context>
    <context>
        <name>SourcesView</name>
        <message>
            <source>Sources</source>
            <translation>出典</translation>
        </message>
        <message>
            <source>Click a source to read the whole passage.</source>
            <translation>出典をクリックすると段落全体を表示します。</translation>
        </message>
        <message>
            <source>in %1</source>
            <translation>場所：%1</translation>
        </message>
        <message>
            <source>page %1</source>
            <translation>%1 ページ</translation>
        </message>
        <message>
            <source>section “%1”</source>
            <translation>見出し「%1」</translation>
        </message>
        <message>
            <source>best match</source>
            <translation>とても関連が高い</translation>
        </message>
        <message>
            <source>good match</source>
            <translation>関連が高い</translation>
        </message>
        <message>
            <source>weaker match</source>
            <translation>やや関連あり</translation>
        </message>
        <message>
            <source>Similar in meaning to your search.</source>
            <translation>検索した内容と意味が近い箇所です。</translation>
        </message>
        <message>
            <source>Contains the words you searched for.</source>
            <translation>検索した言葉を含んでいます。</translation>
        </message>
    </context>
    <context>
        <name>SummaryPage</name>
        <message>
            <source>Start</source>
            <translation>開始</translation>
        </message>
        <message>
            <source>Smallest</source>
            <translation>いちばん小さく</translation>
        </message>
        <message>
            <source>Balanced</source>
            <translation>バランス</translation>
        </message>
        <message>
            <source>Best quality</source>
            <translation>品質優先</translation>
        </message>
        <message>
            <source>about %1</source>
            <translation>約 %1</translation>
        </message>
        <message>
            <source>about %1 needed while converting, %2 free</source>
            <translation>変換中に約 %1 必要（空き %2）</translation>
        </message>
        <message>
            <source>This size is too big for the chosen device; it may not load there.</source>
            <translation>この大きさは選んだ端末には大きすぎ、読み込めないかもしれません。</translation>
        </message>
        <message>
            <source>There is not enough free disk space. Free some space first.</source>
            <translation>ディスクの空きが足りません。先に空きを作ってください。</translation>
        </message>
        <message>
            <source>The model is downloaded first; this needs an internet connection.</source>
            <translation>先にモデルをダウンロードします。インターネット接続が必要です。</translation>
        </message>
        <message>
            <source>Ready to convert</source>
            <translation>変換の準備ができました</translation>
        </message>
        <message>
            <source>Check the choices, then press Start. You can cancel at any time.</source>
            <translation>内容を確かめて「開始」を押してください。いつでもキャンセルできます。</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>モデル</translation>
        </message>
        <message>
            <source>Device</source>
            <translation>端末</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>大きさ</translation>
        </message>
        <message>
            <source>Memory while chatting</source>
            <translation>チャット中のメモリ</translation>
        </message>
        <message>
            <source>Disk</source>
            <translation>ディスク</translation>
        </message>
        <message>
            <source>File name</source>
            <translation>ファイル名</translation>
        </message>
    </context>
    <context>
        <name>UpdateBar</name>
        <message>
            <source>No downloaded models to check for updates.</source>
            <translation>更新を確認できるダウンロード済みのモデルはありません。</translation>
        </message>
        <message>
            <source>Check for updates</source>
            <translation>更新を確認</translation>
        </message>
        <message>
            <source>Checking for updates…</source>
            <translation>更新を確認しています…</translation>
        </message>
        <message>
            <source>Could not reach the model hub to check for updates (last checked: %1).</source>
            <translation>モデルハブに接続できず、更新を確認できませんでした（最終確認：%1）。</translation>
        </message>
        <message>
            <source>Could not reach the model hub to check for updates.</source>
            <translation>モデルハブに接続できず、更新を確認できませんでした。</translation>
        </message>
        <message numerus="yes">
            <source>Checked for updates on %1: %n update(s) available.</source>
            <translation>
                <numerusform>%1 に更新を確認しました。更新が %n 件あります。</numerusform>
            </translation>
        </message>
        <message>
            <source>Checked for updates on %1: your downloaded models are current.</source>
            <translation>%1 に更新を確認しました。ダウンロードしたモデルはすべて最新です。</translation>
        </message>
        <message>
            <source>Downloaded models are compared with the model hub at most once a day, when the library opens.</source>
            <translation>ダウンロードしたモデルは、ライブラリを開いたときにモデルハブと照らし合わせます（1日に1回まで）。</translation>
        </message>
    </context>
    <context>
        <name>VoiceInputButton</name>
        <message>
            <source>Voice input</source>
            <translation>音声入力</translation>
        </message>
        <message>
            <source>Transcribing… %1%</source>
            <translation>文字起こし中… %1%</translation>
        </message>
        <message>
            <source>No speech was heard. Hold the button and speak, then release.</source>
            <translation>音声が聞き取れませんでした。ボタンを押したまま話し、話し終えたら離してください。</translation>
        </message>
        <message>
            <source>Voice input is not available.</source>
            <translation>音声入力は利用できません。</translation>
        </message>
        <message>
            <source>Voice input is off: %1</source>
            <translation>音声入力はオフです：%1</translation>
        </message>
        <message>
            <source>What to do: %1</source>
            <translation>対処方法：%1</translation>
        </message>
        <message>
            <source>Listening… release (or pause) to finish.</source>
            <translation>聞き取り中… 離す（または間を置く）と終了します。</translation>
        </message>
        <message>
            <source>Opening the microphone…</source>
            <translation>マイクを準備中…</translation>
        </message>
        <message>
            <source>Transcribing…</source>
            <translation>文字起こし中…</translation>
        </message>
        <message>
            <source>Hold to talk, or tap to talk hands-free (%1).</source>
            <translation>押したまま話すか、タップしてハンズフリーで話します（%1）。</translation>
        </message>
    </context>
    <context>
        <name>VoicePage</name>
        <message>
            <source>Spoken language</source>
            <translation>話す言語</translation>
        </message>
        <message>
            <source>Speech model</source>
            <translation>音声認識モデル</translation>
        </message>
        <message>
            <source>Microphone</source>
            <translation>マイク</translation>
        </message>
        <message>
            <source>Send the transcript right away</source>
            <translation>書き起こしをすぐに送信する</translation>
        </message>
        <message>
            <source>Open the model library…</source>
            <translation>モデルライブラリを開く…</translation>
        </message>
        <message>
            <source>Speech is transcribed on this computer and never sent anywhere. More speech models can be downloaded in the model library.</source>
            <translation>音声はこのコンピューター上で書き起こされ、外部には送信されません。他の音声認識モデルはモデルライブラリからダウンロードできます。</translation>
        </message>
        <message>
            <source>Detect automatically</source>
            <translation>自動検出</translation>
        </message>
        <message>
            <source>%1 (bundled)</source>
            <translation>%1（同梱）</translation>
        </message>
        <message>
            <source>System default</source>
            <translation>システムの既定</translation>
        </message>
    </context>
    <context>
        <name>VoiceWorker</name>
        <message>
            <source>Transcription failed: %1</source>
            <translation>文字起こしに失敗しました：%1</translation>
        </message>
    </context>
    <context>
        <name>Welcome</name>
        <message>
            <source>runs on this computer</source>
            <translation>このコンピューターで動きます</translation>
        </message>
        <message>
            <source>close other apps first</source>
            <translation>他のアプリを閉じれば動きます</translation>
        </message>
        <message>
            <source>For Japanese: %1 (%2, %3)</source>
            <translation>日本語で使うなら：%1（%2、%3）</translation>
        </message>
        <message>
            <source>A better model: %1 (%2, %3)</source>
            <translation>もっと賢いモデル：%1（%2、%3）</translation>
        </message>
        <message>
            <source>Download and use (%1)</source>
            <translation>ダウンロードして使う（%1）</translation>
        </message>
        <message>
            <source>Try the download again</source>
            <translation>もう一度ダウンロード</translation>
        </message>
        <message>
            <source>Downloading %1 %</source>
            <translation>ダウンロード中 %1 %</translation>
        </message>
        <message>
            <source>Use %1</source>
            <translation>%1 を使う</translation>
        </message>
        <message>
            <source>In use</source>
            <translation>使用中</translation>
        </message>
        <message>
            <source>Welcome to Tomoshibi</source>
            <translation>Tomoshibi へようこそ</translation>
        </message>
        <message>
            <source>The built-in model, SmolLM2 135M, is tiny: it answers fast on any computer, but only in English and often gets facts wrong. Everything stays on this computer.</source>
            <translation>内蔵モデル SmolLM2 135M はとても小さなモデルです。どのPCでも速く答えますが、英語しか話せず、事実をよく間違えます。データはすべてこのコンピューターの中にとどまります。</translation>
        </message>
        <message>
            <source>Ask anything. Everything stays on this computer: no network is used.</source>
            <translation>何でも聞いてください。すべてこのコンピューターの中で処理され、ネットワークは使いません。</translation>
        </message>
        <message>
            <source>Summarise this text in three lines:</source>
            <translation>次の文章を3行で要約してください：</translation>
        </message>
        <message>
            <source>Write a polite email declining a meeting.</source>
            <translation>会議をていねいに断るメールを書いてください。</translation>
        </message>
        <message>
            <source>Explain what a GGUF file is, simply.</source>
            <translation>GGUF ファイルとは何か、やさしく説明してください。</translation>
        </message>
        <message>
            <source>Try:</source>
            <translation>試してみる：</translation>
        </message>
        <message>
            <source>Try (this model answers in English):</source>
            <translation>試してみる（このモデルは英語で答えます）：</translation>
        </message>
        <message>
            <source>Browse all models…</source>
            <translation>すべてのモデルを見る…</translation>
        </message>
    </context>
</TS>
