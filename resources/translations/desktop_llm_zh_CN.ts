<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>App</name>
    <message>
        <source>Something went wrong (%1). The app keeps running; details are in the log file.</source>
        <translation>出错了（%1）。应用会继续运行，详细信息已写入日志文件。</translation>
    </message>
    <message>
        <source>Your input method is Fcitx, and this build of Qt has no plugin for it, so the window talks to Fcitx through its IBus frontend. If you cannot type Chinese, turn on the IBus Frontend addon in Fcitx&apos;s configuration, or use IBus. This note is shown once.</source>
        <translation>你的输入法是 Fcitx，而本程序自带的 Qt 没有它的插件，因此窗口会通过 Fcitx 的 IBus 前端与之通信。如果无法输入中文，请在 Fcitx 配置中启用“IBus 前端”插件，或改用 IBus。此提示只显示一次。</translation>
    </message>
    <message>
        <source>The app could not start: %1</source>
        <translation>应用无法启动：%1</translation>
    </message>
</context>
<context>
    <name>Attachments</name>
    <message>
        <source>The attached files need about %1 tokens; the model reads %2 at once, and %3 of them are left for files after your message and room for the reply. Summarize the files instead, attach less, or raise the context length in Settings.</source>
        <translation>附件约需 %1 个 token，而模型一次只能读取 %2 个；除去你的消息和回复所需空间，留给附件的只有 %3 个。可以改为生成摘要、减少附件，或在设置中调大上下文长度。</translation>
    </message>
    <message>
        <source>%1 is not a text file or a PDF, so it cannot be attached. Attach text files (.txt, .md, .csv, source code) or PDFs.</source>
        <translation>%1 不是文本文件或 PDF，无法添加为附件。请添加文本文件（.txt、.md、.csv、源代码）或 PDF。</translation>
    </message>
    <message>
        <source>%1 could not be read as a PDF: %2</source>
        <translation>无法将 %1 作为 PDF 读取：%2</translation>
    </message>
    <message>
        <source>%1 has no text to read: its pages are probably scanned images. Run it through text recognition (OCR) first, or paste the text.</source>
        <translation>%1 中没有可读取的文字，页面可能是扫描图片。请先进行文字识别（OCR），或直接粘贴文字。</translation>
    </message>
    <message>
        <source>%1 is a folder; attach the files inside it.</source>
        <translation>%1 是文件夹，请添加其中的文件。</translation>
    </message>
    <message>
        <source>%1 is encrypted or protected by a password. Open it in a PDF reader, save a copy without the protection, and attach that.</source>
        <translation>%1 已加密或设有密码。请在 PDF 阅读器中打开，另存一份不带保护的副本，再添加该副本。</translation>
    </message>
    <message>
        <source>%1 is too large to attach: %2, and the limit is %3. The Summarize page takes texts of any length.</source>
        <translation>%1 太大，无法添加为附件：文件为 %2，上限为 %3。“摘要”页可处理任意长度的文本。</translation>
    </message>
</context>
<context>
    <name>Catalog</name>
    <message>
        <source>The model catalog %1 cannot be read: %2.</source>
        <translation>无法读取模型目录 %1：%2。</translation>
    </message>
    <message>
        <source>The model catalog %1 is not valid JSON: %2.</source>
        <translation>模型目录 %1 不是有效的 JSON：%2。</translation>
    </message>
</context>
<context>
    <name>Chat</name>
    <message>
        <source>Your message could not be saved (%1), so it was not sent.</source>
        <translation>您的消息无法保存（%1），因此未发送。</translation>
    </message>
    <message>
        <source>The message is empty.</source>
        <translation>消息不能为空。</translation>
    </message>
    <message>
        <source>There is no message to answer again.</source>
        <translation>没有可以重新回答的消息。</translation>
    </message>
    <message>
        <source>There is no message to edit.</source>
        <translation>没有可以编辑的消息。</translation>
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <source>Type a message below and press Enter.
The model runs on this computer; nothing leaves it.</source>
        <translation>在下方输入消息，按 Enter 发送。
模型在这台电脑上运行，任何内容都不会离开本机。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Take the message back into the editor (Esc); the reply being written goes on</source>
        <translation>将消息撤回到输入框（Esc）；正在撰写的回复不受影响</translation>
    </message>
    <message>
        <source>Cancel the waiting message</source>
        <translation>取消等待中的消息</translation>
    </message>
    <message>
        <source>This message has no reply yet.</source>
        <translation>这条消息还没有回复。</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Write the reply to this message</source>
        <translation>为这条消息生成回复</translation>
    </message>
    <message>
        <source>Answer the last message</source>
        <translation>回复最后一条消息</translation>
    </message>
    <message>
        <source>Message the model — Enter sends, Shift+Enter adds a line</source>
        <translation>给模型发消息（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Remove this file from the message</source>
        <translation>从消息中移除此文件</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>移除 %1</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Attach files…</source>
        <translation>添加附件…</translation>
    </message>
    <message>
        <source>Attach text files or PDFs to the message (Ctrl+Shift+A)</source>
        <translation>为消息添加文本文件或 PDF 附件（Ctrl+Shift+A）</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>发送（Enter）</translation>
    </message>
    <message>
        <source>Editing a message: Enter sends it as a new branch; the earlier one stays.</source>
        <translation>正在编辑消息：按 Enter 作为新分支发送，原来的消息会保留。</translation>
    </message>
    <message>
        <source>Cancel edit</source>
        <translation>取消编辑</translation>
    </message>
    <message>
        <source>Summarize instead</source>
        <translation>改为生成摘要</translation>
    </message>
    <message>
        <source>Open the files on the Summarize page, which reads any length</source>
        <translation>在“摘要”页打开这些文件，可处理任意长度</translation>
    </message>
    <message>
        <source>Text files and PDFs (%1)</source>
        <translation>文本文件和 PDF (%1)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the reply (Esc)</source>
        <translation>停止回复（Esc）</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>过去 7 天</translation>
    </message>
    <message>
        <source>Earlier</source>
        <translation>更早</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Start a new chat (Ctrl+N)</source>
        <translation>开始新对话（Ctrl+N）</translation>
    </message>
    <message>
        <source>Search all chats</source>
        <translation>搜索所有对话</translation>
    </message>
    <message>
        <source>Search all chats (Ctrl+F)</source>
        <translation>搜索所有对话（Ctrl+F）</translation>
    </message>
    <message>
        <source>Chats</source>
        <translation>对话列表</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Rename the selected chat (F2)</source>
        <translation>重命名所选对话（F2）</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the selected chat (Delete)</source>
        <translation>删除所选对话（Delete）</translation>
    </message>
    <message>
        <source>No chat contains “%1”.</source>
        <translation>没有对话包含“%1”。</translation>
    </message>
    <message numerus="yes">
        <source>%n chat(s) contain “%1”.</source>
        <translation>
            <numerusform>%n 个对话包含“%1”。</numerusform>
        </translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Stopped: you stopped this reply; the text so far was kept.</source>
        <translation>已停止：你停止了这条回复，已生成的内容已保留。</translation>
    </message>
    <message>
        <source>Interrupted: the reply did not finish; the text so far was kept.</source>
        <translation>已中断：回复未能完成，已生成的内容已保留。</translation>
    </message>
    <message>
        <source>Error: the reply could not be written.</source>
        <translation>出错：无法生成回复。</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>出错</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>消息内容</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy this message to the clipboard</source>
        <translation>将这条消息复制到剪贴板</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Edit this message and send it again: a new branch starts here, this one stays as the other version</source>
        <translation>编辑这条消息并重新发送：从这里开始一个新分支，原来的这条保留为另一个版本</translation>
    </message>
    <message>
        <source>Write this reply again; this one stays as a version</source>
        <translation>重新生成这条回复；当前这条保留为一个版本</translation>
    </message>
    <message>
        <source>Previous version</source>
        <translation>上一个版本</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>下一个版本</translation>
    </message>
    <message>
        <source>%1/%2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>Version %1 of %2</source>
        <translation>第 %1 个版本，共 %2 个</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>The chat is still writing a reply. Wait for it, or stop it (Esc in the chat), then start again.</source>
        <translation>对话仍在生成回复。请等待它完成，或先停止它（在对话中按 Esc），然后再开始。</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Chat &amp;settings</source>
        <translation>对话设置(&amp;S)</translation>
    </message>
    <message>
        <source>This chat&apos;s system prompt, model, temperature, top-p and max tokens (Ctrl+Shift+P)</source>
        <translation>本对话的系统提示词、模型、温度、Top P 和最大 token 数（Ctrl+Shift+P）</translation>
    </message>
    <message>
        <source>Chat settings</source>
        <translation>对话设置</translation>
    </message>
    <message numerus="yes">
        <source>%n reply(s) were cut short when the app last closed; the text written so far was kept.</source>
        <translation>
            <numerusform>上次关闭应用时，有 %n 条回复被中断；已生成的内容已保留。</numerusform>
        </translation>
    </message>
    <message>
        <source>No model is installed. Download one or import a .gguf file in Models → Manage models… (Ctrl+Shift+M).</source>
        <translation>尚未安装模型。请在“模型 → 管理模型…”（Ctrl+Shift+M）中下载模型，或导入 .gguf 文件。</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown 文档 (*.md)</translation>
    </message>
    <message>
        <source>JSON, with each reply&apos;s figures (*.json)</source>
        <translation>JSON，含每条回复的统计数据 (*.json)</translation>
    </message>
    <message>
        <source>Export chat</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <source>Chat exported to %1</source>
        <translation>对话已导出到 %1</translation>
    </message>
    <message>
        <source>Rename chat</source>
        <translation>重命名对话</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <source>This chat is still writing a reply. Stop it (Esc) first.</source>
        <translation>该对话仍在生成回复，请先停止（Esc）。</translation>
    </message>
    <message>
        <source>Delete chat</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <source>Delete “%1” and all its messages? This cannot be undone.</source>
        <translation>要删除“%1”及其全部消息吗？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Waiting for the model…</source>
        <translation>正在等待模型…</translation>
    </message>
    <message>
        <source>Waits for the reply in “%1”</source>
        <translation>等待“%1”中的回复完成</translation>
    </message>
    <message>
        <source>Waits for the model to be free</source>
        <translation>等待模型空闲</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>The message was taken back.</source>
        <translation>消息已撤回。</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <source>Answering on %1…</source>
        <translation>正在 %1 上回答…</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
    <message>
        <source>Copy this code to the clipboard</source>
        <translation>将这段代码复制到剪贴板</translation>
    </message>
    <message>
        <source>Show the text the model was given</source>
        <translation>查看提供给模型的文本</translation>
    </message>
    <message>
        <source>Attached file %1</source>
        <translation>附件 %1</translation>
    </message>
    <message>
        <source>Text of %1</source>
        <translation>%1 的文本</translation>
    </message>
</context>
<context>
    <name>ChatSettings</name>
    <message>
        <source>Chat settings</source>
        <translation>对话设置</translation>
    </message>
    <message>
        <source>Hide the chat settings</source>
        <translation>隐藏对话设置</translation>
    </message>
    <message>
        <source>Instructions the model gets before this chat&apos;s messages; a change applies from the next reply.</source>
        <translation>模型在读取本对话的消息之前收到的指令；修改后从下一条回复起生效。</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Reset to defaults</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <source>Give this chat the default system prompt, model and sampling from Settings.</source>
        <translation>将本对话的系统提示词、模型和采样参数恢复为“设置”中的默认值。</translation>
    </message>
    <message>
        <source>Saved for this chat as you change them. New chats start from the defaults in Settings (Ctrl+,); values in bold are this chat&apos;s own.</source>
        <translation>修改即为本对话保存。新对话使用“设置”（Ctrl+,）中的默认值；粗体显示的是本对话自己的设置。</translation>
    </message>
    <message>
        <source>This chat is writing a reply; its settings can be changed when it ends.</source>
        <translation>本对话正在撰写回复，回复结束后才能修改设置。</translation>
    </message>
    <message>
        <source>%1
Default: %2</source>
        <translation>%1
默认值：%2</translation>
    </message>
</context>
<context>
    <name>DefaultModels</name>
    <message>
        <source>The model choice could not be saved: %1.</source>
        <translation>无法保存所选模型：%1。</translation>
    </message>
</context>
<context>
    <name>DiscoverView</name>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>Listing the files on the Hub…</source>
        <translation>正在获取 Hub 上的文件列表…</translation>
    </message>
    <message>
        <source>Installed models keep working; the catalog is shown from the app itself. Downloads wait until the Hub can be reached.</source>
        <translation>已安装的模型仍可正常使用；当前显示的是应用内置的模型目录。下载需等到能连接 Hub 后进行。</translation>
    </message>
    <message>
        <source>Fits: %1</source>
        <translation>内存充足：%1</translation>
    </message>
    <message>
        <source>Tight fit: %1</source>
        <translation>内存偏紧：%1</translation>
    </message>
    <message>
        <source>Will not fit: %1</source>
        <translation>内存不足：%1</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>Italian</source>
        <translation>意大利语</translation>
    </message>
    <message>
        <source>Vietnamese</source>
        <translation>越南语</translation>
    </message>
    <message>
        <source>Thai</source>
        <translation>泰语</translation>
    </message>
    <message>
        <source>Hindi</source>
        <translation>印地语</translation>
    </message>
    <message>
        <source>Indonesian</source>
        <translation>印尼语</translation>
    </message>
    <message>
        <source>Dutch</source>
        <translation>荷兰语</translation>
    </message>
    <message>
        <source>Polish</source>
        <translation>波兰语</translation>
    </message>
    <message>
        <source>Turkish</source>
        <translation>土耳其语</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <source>Simplified Chinese</source>
        <translation>简体中文</translation>
    </message>
    <message>
        <source>Traditional Chinese</source>
        <translation>繁体中文</translation>
    </message>
    <message>
        <source>Japanese</source>
        <translation>日语</translation>
    </message>
    <message>
        <source>Korean</source>
        <translation>韩语</translation>
    </message>
    <message>
        <source>French</source>
        <translation>法语</translation>
    </message>
    <message>
        <source>German</source>
        <translation>德语</translation>
    </message>
    <message>
        <source>Spanish</source>
        <translation>西班牙语</translation>
    </message>
    <message>
        <source>Russian</source>
        <translation>俄语</translation>
    </message>
    <message>
        <source>Portuguese</source>
        <translation>葡萄牙语</translation>
    </message>
    <message>
        <source>Arabic</source>
        <translation>阿拉伯语</translation>
    </message>
    <message>
        <source>chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>translate</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>summarize</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>sentiment</source>
        <translation>情感分析</translation>
    </message>
    <message>
        <source>offline mode is on (HF_HUB_OFFLINE), so the Hugging Face Hub is not contacted.</source>
        <translation>离线模式已开启（HF_HUB_OFFLINE），不会连接 Hugging Face Hub。</translation>
    </message>
    <message>
        <source>the Hugging Face Hub cannot be reached.</source>
        <translation>无法连接 Hugging Face Hub。</translation>
    </message>
    <message>
        <source>You are offline: %1 %2</source>
        <translation>当前处于离线状态：%1%2</translation>
    </message>
    <message numerus="yes">
        <source>%Ln download(s)</source>
        <translation>
            <numerusform>%Ln 次下载</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln like(s)</source>
        <translation>
            <numerusform>%Ln 个赞</numerusform>
        </translation>
    </message>
    <message>
        <source>, </source>
        <comment>separator between list items</comment>
        <translation>、</translation>
    </message>
    <message>
        <source>Checking memory…</source>
        <translation>正在检查内存…</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>recommended</source>
        <translation>推荐</translation>
    </message>
    <message>
        <source>size unknown</source>
        <translation>大小未知</translation>
    </message>
    <message>
        <source>Exact size from the Hub</source>
        <translation>来自 Hub 的准确大小</translation>
    </message>
    <message>
        <source>Approximate size from the catalog</source>
        <translation>来自内置目录的估算大小</translation>
    </message>
    <message>
        <source>Part %1 of %2 of a split model.</source>
        <translation>这是分卷模型的第 %1 部分（共 %2 部分）。</translation>
    </message>
    <message>
        <source>This model is split into several files; downloading split models is not supported yet.</source>
        <translation>该模型被拆分为多个文件，暂不支持下载分卷模型。</translation>
    </message>
    <message>
        <source>Downloading needs the Hugging Face Hub: %1</source>
        <translation>下载需要连接 Hugging Face Hub：%1</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Search the Hugging Face Hub</source>
        <translation>搜索 Hugging Face Hub</translation>
    </message>
    <message>
        <source>Search the Hugging Face Hub for GGUF models, then press Enter</source>
        <translation>在 Hugging Face Hub 上搜索 GGUF 模型，按回车键开始</translation>
    </message>
    <message>
        <source>Recommended</source>
        <translation>推荐</translation>
    </message>
    <message>
        <source>Show the curated models that suit a laptop</source>
        <translation>显示适合笔记本电脑的精选模型</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Searching the Hugging Face Hub (%1).</source>
        <translation>搜索来源：Hugging Face Hub（%1）。</translation>
    </message>
    <message>
        <source>Searching the mirror %1 (Settings → Hugging Face Hub). Your token is not sent to it unless you allow it there.</source>
        <translation>搜索来源：镜像 %1（设置 → Hugging Face Hub）。除非你在那里允许，否则不会向镜像发送你的令牌。</translation>
    </message>
    <message>
        <source>Recommended for a laptop</source>
        <translation>适合笔记本电脑的推荐模型</translation>
    </message>
    <message>
        <source>Download a model that will not fit?</source>
        <translation>内存可能不足，仍要下载？</translation>
    </message>
    <message>
        <source>%1 will probably not fit in this computer&apos;s memory.

%2

Download it anyway?</source>
        <translation>%1 很可能超出这台电脑的内存容量。

%2

仍要下载吗？</translation>
    </message>
    <message>
        <source>%1 parameters · licence %2 · context %3 tokens · good for %4</source>
        <translation>参数量 %1 · 许可证 %2 · 上下文 %3 token · 适用于%4</translation>
    </message>
    <message>
        <source>Languages: %1</source>
        <translation>语言：%1</translation>
    </message>
    <message>
        <source>Sizes are approximate (from the catalog).</source>
        <translation>大小为估算值（来自内置目录）。</translation>
    </message>
    <message>
        <source>by %1</source>
        <translation>作者：%1</translation>
    </message>
    <message>
        <source>updated %1</source>
        <translation>更新于 %1</translation>
    </message>
    <message>
        <source>gated: accept its licence on the Hub first</source>
        <translation>受限访问：请先在 Hub 上接受其许可协议</translation>
    </message>
    <message>
        <source>This repository has no GGUF files.</source>
        <translation>该仓库中没有 GGUF 文件。</translation>
    </message>
    <message>
        <source>Unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
    <message>
        <source>%1 The sizes shown are the catalog&apos;s estimates.</source>
        <translation>%1 显示的大小为内置目录中的估算值。</translation>
    </message>
    <message>
        <source>No GGUF models on the Hub match “%1”.</source>
        <translation>Hub 上没有与“%1”匹配的 GGUF 模型。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Hub results for “%1”&lt;/b&gt; (most downloaded first)</source>
        <translation>&lt;b&gt;“%1”的 Hub 搜索结果&lt;/b&gt;（按下载量从高到低）</translation>
    </message>
    <message>
        <source>Choose a model to see its files.</source>
        <translation>选择一个模型以查看其文件。</translation>
    </message>
</context>
<context>
    <name>Downloads</name>
    <message>
        <source>Not enough free disk space for %1: it needs %2 more (plus %3 to spare), and %4 has %5 free.</source>
        <translation>磁盘空间不足，无法下载 %1：还需要 %2（另需预留 %3），而 %4 仅剩 %5 可用空间。</translation>
    </message>
    <message>
        <source>The download of %1 kept failing (%2). What was downloaded is kept: try again to resume.</source>
        <translation>%1 下载屡次失败（%2）。已下载的部分已保留，重试即可继续下载。</translation>
    </message>
    <message>
        <source>the server answered HTTP %1</source>
        <translation>服务器返回 HTTP %1</translation>
    </message>
    <message>
        <source>The Hub refused the download of %1 (HTTP %2).</source>
        <translation>Hub 拒绝了 %1 的下载请求（HTTP %2）。</translation>
    </message>
    <message>
        <source>the file changed on the Hub; starting again</source>
        <translation>Hub 上的文件已更新，正在重新下载</translation>
    </message>
    <message>
        <source>the server sent the wrong part of the file</source>
        <translation>服务器返回了错误的文件片段</translation>
    </message>
    <message>
        <source>the connection closed early</source>
        <translation>连接提前关闭</translation>
    </message>
    <message>
        <source>The disk is full: %1 could not be written to %2. What was downloaded (%3) is kept; free some space and resume.</source>
        <translation>磁盘已满：无法将 %1 写入 %2。已下载的部分（%3）已保留，请释放一些空间后继续下载。</translation>
    </message>
    <message>
        <source>%1 could not be written to %2: %3.</source>
        <translation>无法将 %1 写入 %2：%3。</translation>
    </message>
    <message>
        <source>The download of %1 failed: %2</source>
        <translation>%1 下载失败：%2</translation>
    </message>
    <message>
        <source>%1 is already being downloaded by another window or command of this app. Its progress is kept there; try again once it has finished.</source>
        <translation>本应用的另一个窗口或命令正在下载 %1，进度保存在那里；请等它完成后再试。</translation>
    </message>
    <message>
        <source>The server does not say how large %1 is, so it is not downloaded: an endless file could fill the disk.</source>
        <translation>服务器没有说明 %1 有多大，因此不下载它：一个无穷无尽的文件可能会占满磁盘。</translation>
    </message>
    <message>
        <source>The server&apos;s address for %1 redirects in a loop, so it cannot be downloaded. Check the Hub address in Settings.</source>
        <translation>服务器上 %1 的地址陷入了循环重定向，无法下载。请在“设置”中检查 Hub 地址。</translation>
    </message>
    <message>
        <source>The downloaded file does not match the Hub&apos;s checksum (expected sha256 %1…, got %2…), so it was deleted. Try the download again.</source>
        <translation>下载的文件与 Hub 提供的校验和不一致（应为 sha256 %1…，实际为 %2…），已将其删除。请重新下载。</translation>
    </message>
    <message>
        <source>The downloaded file is not a usable GGUF model, so it was deleted: %1</source>
        <translation>下载的文件不是可用的 GGUF 模型，已将其删除：%1</translation>
    </message>
    <message>
        <source>the connection timed out</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <source>cannot connect to the Hub</source>
        <translation>无法连接到 Hub</translation>
    </message>
    <message>
        <source>the connection was interrupted</source>
        <translation>连接中断</translation>
    </message>
    <message>
        <source>The download queue is closed.</source>
        <translation>下载队列已关闭。</translation>
    </message>
</context>
<context>
    <name>DownloadsView</name>
    <message>
        <source>Waiting</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Checking the file…</source>
        <translation>正在校验文件…</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>下载失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Show file</source>
        <translation>显示文件</translation>
    </message>
    <message>
        <source>The partial file was deleted.</source>
        <translation>未下载完的文件已删除。</translation>
    </message>
    <message>
        <source>%1 kept</source>
        <translation>已保留 %1</translation>
    </message>
    <message>
        <source>Trying again needs the Hugging Face Hub: %1</source>
        <translation>重试需要连接 Hugging Face Hub：%1</translation>
    </message>
    <message>
        <source>Resuming needs the Hugging Face Hub: %1</source>
        <translation>继续下载需要连接 Hugging Face Hub：%1</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Delete partial</source>
        <translation>删除未完成文件</translation>
    </message>
    <message>
        <source>No downloads yet. Choose a model in Discover and press Download.</source>
        <translation>暂无下载。在“发现”中选择模型，然后点击“下载”。</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>清除已结束</translation>
    </message>
    <message>
        <source>Remove finished, failed and cancelled downloads from the list</source>
        <translation>从列表中移除已完成、失败和已取消的下载</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Cancel the download?</source>
        <translation>取消下载？</translation>
    </message>
    <message>
        <source>%1 of %2 are already downloaded. Cancelling deletes them; Pause keeps them to resume later.</source>
        <translation>%2 已下载 %1。取消会删除已下载的部分；选择“暂停”则会保留，以便稍后继续。</translation>
    </message>
    <message>
        <source>Show the downloads</source>
        <translation>查看下载</translation>
    </message>
    <message numerus="yes">
        <source>↓ %n download(s)</source>
        <translation>
            <numerusform>↓ %n 个下载</numerusform>
        </translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
</context>
<context>
    <name>Eco</name>
    <message>
        <source>Eco mode is off.</source>
        <translation>节能模式已关闭。</translation>
    </message>
    <message>
        <source>Eco mode is on only on battery; this computer is not running on its battery now.</source>
        <translation>节能模式仅在使用电池时开启；这台电脑目前未使用电池供电。</translation>
    </message>
    <message>
        <source>Eco mode is on, but this model&apos;s own thread setting is used.</source>
        <translation>节能模式已开启，但使用的是该模型自己的线程设置。</translation>
    </message>
    <message>
        <source>Eco mode is on, but this model is not calibrated yet on this computer: the usual thread count is used.</source>
        <translation>节能模式已开启，但该模型尚未在本机校准：使用常规线程数。</translation>
    </message>
    <message numerus="yes">
        <source>Eco mode: %n thread(s), %1 J per token, %2 tokens/s</source>
        <translation>
            <numerusform>节能模式：%n 个线程，每 token %1 J，每秒 %2 个 token</numerusform>
        </translation>
    </message>
    <message>
        <source> (estimated from CPU time)</source>
        <translation>（根据 CPU 时间估算）</translation>
    </message>
    <message>
        <source>The calibration was stopped.</source>
        <translation>校准已停止。</translation>
    </message>
    <message>
        <source>The model gave no tokens to measure.</source>
        <translation>模型没有生成可供测量的 token。</translation>
    </message>
    <message>
        <source>No model is installed to calibrate.</source>
        <translation>没有已安装的模型可供校准。</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <source>J per token</source>
        <translation>每 token 焦耳</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>token/秒</translation>
    </message>
    <message>
        <source>fewest joules per token: eco mode uses it</source>
        <translation>每 token 耗能最少：节能模式采用此项</translation>
    </message>
    <message>
        <source>measured (%1)</source>
        <translation>实测（%1）</translation>
    </message>
    <message>
        <source>estimated from CPU time, not measured</source>
        <translation>按 CPU 时间估算，非实测</translation>
    </message>
    <message>
        <source>Calibration of %1 (%2): %3 tokens per reply, rounds: %4, %5.</source>
        <translation>%1 的校准（%2）：每次回复 %3 个 token，轮数：%4，%5。</translation>
    </message>
    <message>
        <source>Eco mode</source>
        <translation>节能模式</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Calibrate eco mode…</source>
        <translation>校准节能模式…</translation>
    </message>
    <message>
        <source>Measure the chat&apos;s default model at a few thread counts, each reply metered, and keep the one with the fewest joules per token (a minute or two)</source>
        <translation>用几种线程数测量聊天的默认模型，每次回复都计量能耗，并保留每 token 耗能最少的线程数（约需一两分钟）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the calibration; nothing is stored, the last one is kept</source>
        <translation>停止校准；不保存任何结果，保留上一次的校准</translation>
    </message>
    <message>
        <source>Eco mode is being calibrated. Wait for it, or stop it in the energy dashboard (How is this measured?).</source>
        <translation>正在校准节能模式。请等待完成，或在能耗看板（“测量方法”）中停止。</translation>
    </message>
    <message>
        <source>Waits for the calibration to finish</source>
        <translation>等待校准完成</translation>
    </message>
    <message>
        <source>Starting the calibration…</source>
        <translation>正在开始校准…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message numerus="yes">
        <source>Measuring %n thread(s), round %1 of %2</source>
        <translation>
            <numerusform>正在测量 %n 个线程，第 %1 轮，共 %2 轮</numerusform>
        </translation>
    </message>
    <message>
        <source>Stopped. Nothing was stored; the last calibration is kept.</source>
        <translation>已停止。未保存任何结果，保留上一次的校准。</translation>
    </message>
</context>
<context>
    <name>Energy</name>
    <message>
        <source>only on Apple Silicon Macs</source>
        <translation>仅限搭载 Apple 芯片的 Mac</translation>
    </message>
    <message>
        <source>IOReport energy counters are not implemented in this build (uses estimate)</source>
        <translation>此版本尚未支持 IOReport 能耗计数器（改用估算）</translation>
    </message>
    <message>
        <source>no battery (a desktop, or a laptop the kernel sees no battery in)</source>
        <translation>没有电池（台式机，或内核检测不到电池的笔记本）</translation>
    </message>
    <message>
        <source>the battery reports neither power_now nor current_now</source>
        <translation>电池既不提供 power_now，也不提供 current_now</translation>
    </message>
    <message>
        <source>the battery is not discharging (%1); it measures only on battery power</source>
        <translation>电池未在放电（%1）；仅在使用电池供电时才能测量</translation>
    </message>
    <message>
        <source>Unplug the charger to get a whole-system cross-check</source>
        <translation>拔下充电器，即可用整机功耗进行交叉核对</translation>
    </message>
    <message>
        <source>whole-system draw from %1 (discharging)</source>
        <translation>来自 %1 的整机功耗（放电中）</translation>
    </message>
    <message>
        <source>your value</source>
        <translation>你填写的数值</translation>
    </message>
    <message>
        <source>world average: %1</source>
        <translation>全球平均：%1</translation>
    </message>
    <message>
        <source>world average (%1 not in the table): %2</source>
        <translation>全球平均（表中没有 %1）：%2</translation>
    </message>
    <message>
        <source>estimate: CPU time × %1 W/core</source>
        <translation>按 CPU 时间 × %1 W/核估算</translation>
    </message>
    <message>
        <source>the worker process could not be read</source>
        <translation>无法读取推理进程的信息</translation>
    </message>
    <message>
        <source>the worker process ended before the window closed</source>
        <translation>推理进程在测量窗口结束前已退出</translation>
    </message>
    <message>
        <source>window %1 ms is short for 10 ms CPU-time ticks</source>
        <translation>测量窗口仅 %1 ms，相对 10 ms 的 CPU 时间计数粒度过短</translation>
    </message>
    <message>
        <source>your per-core figure</source>
        <translation>你设置的单核功耗</translation>
    </message>
    <message>
        <source>%1: %2 W / %3 cores</source>
        <translation>%1：%2 W / %3 核</translation>
    </message>
    <message>
        <source>%1 (model &apos;%2&apos; not in the table)</source>
        <translation>%1（型号“%2”不在表中）</translation>
    </message>
    <message>
        <source>%1 (%2); not measured, the worker&apos;s CPU time only</source>
        <translation>%1（%2）；非实测，仅计推理进程的 CPU 时间</translation>
    </message>
    <message>
        <source>%1 failed (%2); estimated</source>
        <translation>%1 读取失败（%2），已改用估算</translation>
    </message>
    <message>
        <source>GPU meter failed (%1); CPU only</source>
        <translation>GPU 计量失败（%1），仅计 CPU</translation>
    </message>
    <message>
        <source>no idle baseline measured yet</source>
        <translation>尚未测量空闲基线</translation>
    </message>
    <message>
        <source>remote engine %1</source>
        <translation>远程引擎 %1</translation>
    </message>
    <message>
        <source>remote engine %1: estimate from your figure of %2 W</source>
        <translation>远程引擎 %1：按您填写的 %2 W 估算</translation>
    </message>
    <message>
        <source>the remote machine&apos;s energy was not measured here</source>
        <translation>远程机器的能耗未在本机测量</translation>
    </message>
    <message>
        <source>an estimate from your figure of %1 W for %2, not a measurement</source>
        <translation>按您为 %2 填写的 %1 W 估算，并非实测</translation>
    </message>
    <message>
        <source>only %1 GPU power samples</source>
        <translation>仅有 %1 个 GPU 功率采样</translation>
    </message>
    <message>
        <source>the NVIDIA management library binding (nvidia-ml-py) is not installed</source>
        <translation>未安装 NVIDIA 管理库的 Python 绑定（nvidia-ml-py）</translation>
    </message>
    <message>
        <source>no NVIDIA driver or GPU found (%1)</source>
        <translation>未找到 NVIDIA 驱动或 GPU（%1）</translation>
    </message>
    <message>
        <source>NVML could not list the GPUs (%1)</source>
        <translation>NVML 无法列出 GPU（%1）</translation>
    </message>
    <message>
        <source>the NVIDIA driver is loaded but sees no GPU</source>
        <translation>NVIDIA 驱动已加载，但未检测到 GPU</translation>
    </message>
    <message>
        <source>%1 (energy counter)</source>
        <translation>%1（能耗计数器）</translation>
    </message>
    <message>
        <source>%1 (power polled every 100 ms)</source>
        <translation>%1（每 100 ms 轮询一次功率）</translation>
    </message>
    <message>
        <source>measured GPU energy: %1</source>
        <translation>GPU 能耗实测：%1</translation>
    </message>
    <message>
        <source>RAPL package</source>
        <translation>RAPL CPU 封装</translation>
    </message>
    <message>
        <source>RAPL package + DRAM</source>
        <translation>RAPL CPU 封装 + 内存</translation>
    </message>
    <message>
        <source>RAPL platform (psys)</source>
        <translation>RAPL 整机平台（psys）</translation>
    </message>
    <message>
        <source>%1 counter went backwards with no known range</source>
        <translation>%1 计数器出现回退，且量程未知</translation>
    </message>
    <message>
        <source>RAPL counters exist but cannot be read (permission denied)</source>
        <translation>RAPL 计数器存在，但无法读取（权限不足）</translation>
    </message>
    <message>
        <source>Run %1 (lasts until reboot), or for good add the udev rule %2 to %3</source>
        <translation>运行 %1（重启前有效）；如需永久生效，请将 udev 规则 %2 添加到 %3</translation>
    </message>
    <message>
        <source>RAPL zones found but none is a package or psys domain</source>
        <translation>找到了 RAPL 区域，但其中没有 package 或 psys 域</translation>
    </message>
    <message>
        <source>no RAPL energy counters (no %1)</source>
        <translation>没有 RAPL 能耗计数器（不存在 %1）</translation>
    </message>
    <message>
        <source>RAPL counter %1 cannot be read (%2)</source>
        <translation>无法读取 RAPL 计数器 %1（%2）</translation>
    </message>
    <message>
        <source>%1: measured energy counters (%2)</source>
        <translation>%1：实测能耗计数器（%2）</translation>
    </message>
    <message>
        <source>window %1 ms is shorter than %2 s</source>
        <translation>测量窗口仅 %1 ms，短于 %2 s</translation>
    </message>
    <message>
        <source>Luccioni, Jernite &amp; Strubell 2024, &apos;Power Hungry Processing&apos; (one A100 GPU)</source>
        <translation>Luccioni、Jernite 和 Strubell 2024 年的论文《Power Hungry Processing》（单块 A100 GPU）</translation>
    </message>
    <message>
        <source>text classification</source>
        <translation>文本分类</translation>
    </message>
    <message>
        <source>text generation</source>
        <translation>文本生成</translation>
    </message>
    <message>
        <source>text generation (no translation figure)</source>
        <translation>文本生成（无翻译任务的数据）</translation>
    </message>
    <message>
        <source>summarization</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Compared with a 10 W LED bulb, and a phone charge taken as a 15 Wh battery (about 54 kJ).</source>
        <translation>参照：一盏 10 W 的 LED 灯；手机充满一次电按 15 Wh 电池计（约 54 kJ）。</translation>
    </message>
    <message>
        <source>a 10 W LED bulb for %1 s</source>
        <translation>10 W LED 灯亮 %1 秒</translation>
    </message>
    <message>
        <source>%1 % of a phone charge</source>
        <translation>手机充满一次电的 %1 %</translation>
    </message>
    <message>
        <source>%1 phone charges</source>
        <translation>手机充满 %1 次电</translation>
    </message>
    <message>
        <source>measured while other programs kept the CPU busy (%1 %): figures are higher than on a quiet machine</source>
        <translation>测量时其他程序正占用 CPU（%1 %）：数值高于空闲电脑</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1; %2</source>
        <translation>%1；%2</translation>
    </message>
    <message>
        <source>Engine: this computer (local).</source>
        <translation>引擎：本机（本地）。</translation>
    </message>
    <message>
        <source>Engine: %1 at %2, a remote server.</source>
        <translation>引擎：%1（%2），远程服务器。</translation>
    </message>
    <message>
        <source>Engine: %1, a remote server.</source>
        <translation>引擎：%1，远程服务器。</translation>
    </message>
    <message numerus="yes">
        <source>%n reply(ies) not measured: remote</source>
        <translation>
            <numerusform>%n 条回复未测量：远程</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n remote reply(ies) estimated from your power figures: %1</source>
        <translation>
            <numerusform>%n 条远程回复按您填写的功率估算：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>: </source>
        <translation>：</translation>
    </message>
    <message>
        <source>estimate</source>
        <translation>估算</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>joules (what they feel like)</comment>
        <translation>%1（约等于 %2）</translation>
    </message>
    <message>
        <source>%1 (rough)</source>
        <translation>%1（粗略）</translation>
    </message>
    <message>
        <source>Not measured: this reply was written by the remote engine %1, on another machine whose energy this computer cannot measure. It has no energy or carbon figure, and the totals count it apart.</source>
        <translation>未测量：这条回复由远程引擎 %1 生成，运行在另一台机器上，本机无法测量其能耗。它没有能耗和碳排放数值，合计中单独计数。</translation>
    </message>
    <message>
        <source>Give the engine the server&apos;s average power draw to get an estimate from your figure.</source>
        <translation>为该引擎填写服务器的平均功率，即可按您的数值得到估算。</translation>
    </message>
    <message>
        <source>The reply took %1 s.</source>
        <translation>这条回复用时 %1 秒。</translation>
    </message>
    <message>
        <source>An estimate, not a measurement: your figure of %1 W for the remote engine %2 × %3 s = %4.</source>
        <translation>估算，并非实测：您为远程引擎 %2 填写的 %1 W × %3 秒 = %4。</translation>
    </message>
    <message>
        <source>Measured with %1.</source>
        <translation>由 %1 实测。</translation>
    </message>
    <message>
        <source>Estimated, not measured: %1. This computer has no energy meter the app can read (the Energy dashboard&apos;s “How is this measured?” page, or `desktop-llm energy meters`, says why).</source>
        <translation>非实测：%1。本应用在这台电脑上读取不到任何能耗计量器（原因见能耗面板的“如何测量？”页面，或运行 `desktop-llm energy meters` 查看）。</translation>
    </message>
    <message>
        <source>Gross %1 over %2 s (average %3 W).</source>
        <translation>总能耗 %1，历时 %2 s（平均 %3 W）。</translation>
    </message>
    <message>
        <source>Net of the idle baseline (%1 W): %2.</source>
        <translation>扣除空闲基线（%1 W）后：%2。</translation>
    </message>
    <message>
        <source>The model&apos;s process used %1 of the busy CPU time, so %2 is counted for this reply.</source>
        <translation>模型进程占用了 %1 的 CPU 忙碌时间，因此本条回复计入 %2。</translation>
    </message>
    <message>
        <source>That is about %1. %2</source>
        <translation>约等于 %1。%2</translation>
    </message>
    <message>
        <source>Measured while other programs kept the CPU busy (%1 %): figures are higher than on a quiet machine, so leave them out of comparisons.</source>
        <translation>测量时其他程序正占用 CPU（%1 %）：数值高于空闲电脑，比较时请勿采用。</translation>
    </message>
    <message>
        <source>Other programs used %1 % of the CPU meanwhile: a quiet machine.</source>
        <translation>期间其他程序占用 CPU %1 %：电脑处于空闲状态。</translation>
    </message>
    <message>
        <source>Carbon: %1 g CO2e per kWh (%2).</source>
        <translation>碳排放：每 kWh %1 g CO2e（%2）。</translation>
    </message>
    <message>
        <source>Rough: the reply was shorter than the meter can resolve well.</source>
        <translation>粗略：回复过短，低于计量器能准确分辨的范围。</translation>
    </message>
    <message>
        <source>Note: %1.</source>
        <translation>备注：%1。</translation>
    </message>
    <message numerus="yes">
        <source>%n model call(s)</source>
        <translation>
            <numerusform>%n 次模型调用</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) not measured: remote</source>
        <translation>
            <numerusform>%n 次调用未测量：远程</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This run: %n model call(s) (parts, batches), %1 and %2 together.</source>
        <translation>
            <numerusform>本次运行：共 %n 次模型调用（分段、批次），合计 %1、%2。</numerusform>
        </translation>
    </message>
    <message>
        <source>The last of them:</source>
        <translation>其中最后一次：</translation>
    </message>
    <message numerus="yes">
        <source>%n reply(ies) on a remote engine left out: not measured on this computer.</source>
        <translation>
            <numerusform>已排除远程引擎的 %n 条回复：未在本机测量。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>a sentence, then the next</comment>
        <translation>%1%2</translation>
    </message>
    <message numerus="yes">
        <source>All %n measurement(s) were taken while other programs kept the CPU busy, so none can be compared with a quiet machine&apos;s.</source>
        <translation>
            <numerusform>全部 %n 次测量都是在其他程序占用 CPU 时进行的，无法与空闲电脑上的数据比较。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n measurement(s) taken while other programs kept the CPU busy left out.</source>
        <translation>
            <numerusform>已排除 %n 次在其他程序占用 CPU 时进行的测量。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EnergyDashboard</name>
    <message>
        <source>%1 (%2)</source>
        <comment>a chart&apos;s title and its unit</comment>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1: %2 %3</source>
        <comment>a bar in a chart&apos;s tooltip: name, value, unit</comment>
        <translation>%1：%2 %3</translation>
    </message>
    <message>
        <source>No energy records yet.

Every chat reply, translation, summary and sentiment run records what it cost. Send a message or run a task, then press Refresh (F5).</source>
        <translation>还没有能耗记录。

每条对话回复、每次翻译、摘要和情感分析都会记录自己的能耗。发送一条消息或运行一个任务，然后点击“刷新”（F5）。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>CPU energy counters (Intel/AMD RAPL, Linux)</source>
        <translation>CPU 能耗计数器（Intel/AMD RAPL，Linux）</translation>
    </message>
    <message>
        <source>NVIDIA GPU energy counter (NVML)</source>
        <translation>NVIDIA GPU 能耗计数器（NVML）</translation>
    </message>
    <message>
        <source>Laptop battery discharge</source>
        <translation>笔记本电池放电</translation>
    </message>
    <message>
        <source>Apple Silicon energy counters</source>
        <translation>Apple Silicon 能耗计数器</translation>
    </message>
    <message>
        <source>Estimate from CPU time</source>
        <translation>按 CPU 时间估算</translation>
    </message>
    <message>
        <source>the energy of the CPU package (and memory), measured by the processor itself</source>
        <translation>CPU 封装（及内存）的能耗，由处理器自身测得</translation>
    </message>
    <message>
        <source>the energy of the graphics card, added when the model runs on the GPU</source>
        <translation>显卡的能耗，模型在 GPU 上运行时计入</translation>
    </message>
    <message>
        <source>the whole laptop&apos;s power while on battery, kept only as a cross-check</source>
        <translation>使用电池供电时整台笔记本的功耗，仅用于交叉核对</translation>
    </message>
    <message>
        <source>the energy of an Apple Silicon chip</source>
        <translation>Apple Silicon 芯片的能耗</translation>
    </message>
    <message>
        <source>the model process&apos;s CPU time × a per-core power figure; not a measurement</source>
        <translation>模型进程的 CPU 时间 × 每核功率，并非实测</translation>
    </message>
    <message>
        <source>chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>translate</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>summarize</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>sentiment</source>
        <translation>情感分析</translation>
    </message>
    <message>
        <source>API requests</source>
        <translation>API 请求</translation>
    </message>
    <message>
        <source>d MMM</source>
        <comment>a day in a chart, as a QDate format: 30 Nov</comment>
        <translation>M月d日</translation>
    </message>
    <message>
        <source>dd MMM yyyy</source>
        <comment>a date, as a QDate format: 05 Nov 2025</comment>
        <translation>yyyy年M月d日</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Quanti-
zation</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>token 数</translation>
    </message>
    <message>
        <source>Energy</source>
        <translation>能耗</translation>
    </message>
    <message>
        <source>J per
1k tokens</source>
        <translation>每千 token
能耗（J）</translation>
    </message>
    <message>
        <source>kWh per
1k requests</source>
        <translation>每千次请求
能耗（kWh）</translation>
    </message>
    <message>
        <source>g CO2e per
1k requests</source>
        <translation>每千次请求
碳排放（g CO2e）</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Published
(different setup)</source>
        <translation>公开数据
（不同配置）</translation>
    </message>
    <message>
        <source>A chat reply, a translation or summary run, or one classified sentiment item</source>
        <translation>一次请求指一条对话回复、一次翻译或摘要运行，或情感分析中完成分类的一条文本</translation>
    </message>
    <message>
        <source>Prompt and completion tokens of every model call</source>
        <translation>每次模型调用的提示词 token 与生成 token 之和</translation>
    </message>
    <message>
        <source>Joules attributed to the model&apos;s process, net of the idle baseline</source>
        <translation>归属于模型进程的能耗（焦耳），已扣除空闲基线</translation>
    </message>
    <message>
        <source>The meter the energy comes from (&apos;estimate&apos;: CPU time, not measured)</source>
        <translation>能耗数据来自哪个计量器（“estimate”：按 CPU 时间估算，并非实测）</translation>
    </message>
    <message>
        <source>kWh per 1,000 inferences for this kind of task, %1: other models on other hardware, only a reference point</source>
        <translation>此类任务每 1,000 次推理的 kWh，来自 %1：其他模型、其他硬件，仅供参考</translation>
    </message>
    <message>
        <source>%1: %2 kWh per 1,000 inferences (%3)</source>
        <translation>%1：每 1,000 次推理 %2 kWh（%3）</translation>
    </message>
    <message>
        <source>gross %1, net of the idle baseline %2, attributed %3</source>
        <translation>总能耗 %1，扣除空闲基线后 %2，归属于模型 %3</translation>
    </message>
    <message numerus="yes">
        <source>%n model call(s) measured while other programs kept the CPU busy: figures are higher than on a quiet machine.</source>
        <translation>
            <numerusform>%n 次模型调用是在其他程序占用 CPU 时测量的：数值高于空闲电脑。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 model calls estimated from CPU time</source>
        <translation>%2 次模型调用中有 %1 次按 CPU 时间估算</translation>
    </message>
    <message>
        <source>Meters on this computer</source>
        <translation>这台电脑上的计量器</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; [%2]: %3 — %4.&lt;br&gt;%5.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; [%2]：%3 —— %4。&lt;br&gt;%5。</translation>
    </message>
    <message>
        <source>available</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>To enable: %1</source>
        <translation>启用方法：%1</translation>
    </message>
    <message>
        <source>Nothing to enable: this computer does not have it.</source>
        <translation>这台电脑不具备此项，无需启用。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; [%2]: %3 — would measure %4.&lt;br&gt;Why: %5.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; [%2]：%3 —— 可用时测量：%4。&lt;br&gt;原因：%5。</translation>
    </message>
    <message>
        <source>not available</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>A reply uses the CPU counters when they can be read, else the estimate; the GPU&apos;s energy is added when the model runs on an NVIDIA GPU.</source>
        <translation>能读取 CPU 能耗计数器时，回复使用计数器的读数，否则使用估算值；模型在 NVIDIA GPU 上运行时，还会计入 GPU 的能耗。</translation>
    </message>
    <message>
        <source>Meters behind your %1 stored model calls: %2.</source>
        <translation>已存储的 %1 次模型调用所用的计量器：%2。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Gross&lt;/b&gt; is everything the meter counted from the request to the last token. &lt;b&gt;Net&lt;/b&gt; takes away the idle baseline: the power this computer draws doing nothing, measured while the model waits, times the reply&apos;s duration. &lt;b&gt;Attributed&lt;/b&gt; is the part charged to the model: a whole-machine meter (RAPL) also counts every other program, so its net is multiplied by the model process&apos;s share of the busy CPU time. The estimate sees only the model&apos;s own CPU time, so it is attributed by construction. The charts and tables show attributed energy.</source>
        <translation>&lt;b&gt;总能耗&lt;/b&gt;是计量器从发出请求到最后一个 token 期间记录的全部能耗。&lt;b&gt;净能耗&lt;/b&gt;扣除了空闲基线，即这台电脑空闲时的功率（在模型等待时测得）乘以回复的时长。&lt;b&gt;归属能耗&lt;/b&gt;是算到模型头上的部分：整机计量器（RAPL）会把其他所有程序也计算在内，因此要将其净能耗乘以模型进程在 CPU 繁忙时间中所占的比例。估算值只统计模型自身的 CPU 时间，因此本身就是归属能耗。图表和表格显示的都是归属能耗。</translation>
    </message>
    <message>
        <source>A reply shorter than the meter&apos;s resolution (CPU time is counted in 10 ms ticks; some counters refresh only every few ms) is marked low confidence: its figure is rounded more than it is measured. Low-confidence records so far: %1 of %2.</source>
        <translation>短于计量器分辨率的回复（CPU 时间以 10 ms 为单位计数；有些计数器每隔几 ms 才刷新一次）会被标记为低置信度：它的数值更多是取整得来，而非真正测得。目前的低置信度记录：%2 条中有 %1 条。</translation>
    </message>
    <message>
        <source>Grams of CO2e are the attributed kWh times the carbon intensity of the electricity grid. New replies use &lt;b&gt;%1 g CO2e per kWh&lt;/b&gt;, from %2; chosen from %3.</source>
        <translation>CO2e 克数 = 归属能耗（kWh）× 电网的碳强度。新回复按 &lt;b&gt;%1 g CO2e/kWh&lt;/b&gt; 计算，数据来源：%2；选用依据：%3。</translation>
    </message>
    <message>
        <source>You can change it in Settings (Ctrl+,) under Energy: your country as a two-letter code, or your electricity supplier&apos;s own figure. It is never looked up on the network. Each stored reply keeps the intensity it was recorded with.</source>
        <translation>可在“设置”（Ctrl+,）的“能耗与碳排放”中修改：填写所在国家或地区的两位字母代码，或填写供电公司提供的数值。碳强度从不联网查询。每条已存储的回复都保留记录时所用的碳强度。</translation>
    </message>
    <message>
        <source>Replies written by a remote engine ran on another machine, whose energy this computer cannot measure: they have no figure (not 0) and are counted apart. Where you gave the engine the server&apos;s average power draw, a reply&apos;s energy is estimated from your figure (watts × the reply&apos;s seconds), labelled so, and summed apart too. Remote replies: %1.</source>
        <translation>远程引擎生成的回复运行在另一台机器上，本机无法测量其能耗：它们没有数值（而不是 0），单独计数。若您为引擎填写了服务器的平均功率，回复的能耗会按您的数值估算（功率 × 回复用时），并注明是估算，同样单独合计。远程回复：%1。</translation>
    </message>
    <message>
        <source>Gross, net and attributed</source>
        <translation>总能耗、净能耗与归属能耗</translation>
    </message>
    <message>
        <source>Low-confidence windows</source>
        <translation>低置信度记录</translation>
    </message>
    <message>
        <source>Carbon</source>
        <translation>碳排放</translation>
    </message>
    <message>
        <source>Energy dashboard</source>
        <translation>能耗看板</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Energy meters</source>
        <translation>能耗计量方式</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Read the energy records again (F5)</source>
        <translation>重新读取能耗记录（F5）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
    <message>
        <source>Energy per day, last %1 days with data</source>
        <translation>近 %1 个有记录日的每日能耗</translation>
    </message>
    <message>
        <source>Energy per model</source>
        <translation>各模型能耗</translation>
    </message>
    <message>
        <source>Energy per task</source>
        <translation>各任务能耗</translation>
    </message>
    <message>
        <source>Comparison with published figures</source>
        <translation>与公开数据的对比</translation>
    </message>
    <message>
        <source>&lt;b&gt;Published (different setup)&lt;/b&gt;: kWh per 1,000 inferences from %1: text classification %2 (beside sentiment), text generation %3 (beside chat, and translation, which has no figure of its own), summarization %4. They were measured on one NVIDIA A100 GPU with other models and batch sizes: a reference point, not a like-for-like comparison. A request is one chat reply, one translation or summary run, or one classified sentiment item.</source>
        <translation>&lt;b&gt;公开数据（不同配置）&lt;/b&gt;：每 1,000 次推理的 kWh，来自 %1：文本分类 %2（对照情感分析），文本生成 %3（对照对话；翻译没有单独的数据，也对照此项），摘要 %4。这些数据是在一块 NVIDIA A100 GPU 上、用其他模型和批大小测得的，只能作为参考，并非同等条件下的比较。一次请求指一条对话回复、一次翻译或摘要运行，或情感分析中完成分类的一条文本。</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>All rows: %1 requests · %2 tokens · %3 · %4</source>
        <translation>全部：%1 次请求 · %2 个 token · %3 · %4</translation>
    </message>
    <message>
        <source>Export the energy table</source>
        <translation>导出能耗表</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>正在保存 %1…</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>How is this measured?</source>
        <translation>测量方法</translation>
    </message>
    <message>
        <source>your own figure (Settings → Energy → Carbon intensity)</source>
        <translation>你自己填写的数值（设置 → 能耗与碳排放 → 碳强度）</translation>
    </message>
    <message>
        <source>your country setting (%1)</source>
        <translation>你设置的国家或地区（%1）</translation>
    </message>
    <message>
        <source>the system locale&apos;s country (%1); no country is set in Settings</source>
        <translation>系统区域设置中的国家或地区（%1）；设置中未指定国家或地区</translation>
    </message>
    <message>
        <source>no country in Settings or in the system locale, so the world average</source>
        <translation>设置和系统区域设置中都没有国家或地区，因此使用全球平均值</translation>
    </message>
    <message>
        <source>The energy records could not be read (%1: %2).</source>
        <translation>无法读取能耗记录（%1：%2）。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: no requests yet</source>
        <translation>%1：暂无请求</translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 · %3 over %Ln request(s)</source>
        <translation>
            <numerusform>%1：%2 · %3，共 %Ln 次请求</numerusform>
        </translation>
    </message>
    <message>
        <source>All time</source>
        <translation>累计</translation>
    </message>
    <message>
        <source>%1 since %2</source>
        <translation>%1（自 %2 起）</translation>
    </message>
    <message>
        <source>This session</source>
        <translation>本次运行</translation>
    </message>
    <message>
        <source>%1. %2.</source>
        <comment>this session&apos;s totals, then all time&apos;s</comment>
        <translation>%1。%2。</translation>
    </message>
    <message>
        <source>All %1 model calls were estimated from CPU time, not measured; see %2</source>
        <translation>全部 %1 次模型调用均按 CPU 时间估算，并非实测；详见“%2”。</translation>
    </message>
    <message>
        <source>%1 of %2 model calls were estimated from CPU time; see %3</source>
        <translation>%2 次模型调用中有 %1 次按 CPU 时间估算；详见“%3”。</translation>
    </message>
    <message>
        <source>Could not save %1: %2.</source>
        <translation>无法保存 %1：%2。</translation>
    </message>
</context>
<context>
    <name>Engine</name>
    <message>
        <source>stopped responding</source>
        <translation>已无响应</translation>
    </message>
    <message>
        <source>signal %1</source>
        <translation>信号 %1</translation>
    </message>
    <message>
        <source>it was killed (often the system running out of memory)</source>
        <translation>被强制终止（通常是系统内存不足）</translation>
    </message>
    <message>
        <source>it crashed (segmentation fault in llama.cpp)</source>
        <translation>发生崩溃（llama.cpp 段错误）</translation>
    </message>
    <message>
        <source>llama.cpp aborted (often a damaged or unsupported model file)</source>
        <translation>llama.cpp 异常中止（通常是模型文件损坏或不受支持）</translation>
    </message>
    <message>
        <source>it crashed reading the model file (was the file changed or removed?)</source>
        <translation>读取模型文件时崩溃（文件是否被修改或删除？）</translation>
    </message>
    <message>
        <source>the llama.cpp build uses a CPU instruction this processor lacks</source>
        <translation>当前 llama.cpp 构建使用了此处理器不支持的 CPU 指令</translation>
    </message>
    <message>
        <source>it was stopped</source>
        <translation>被终止</translation>
    </message>
    <message>
        <source>it exited with code %1</source>
        <translation>退出码为 %1</translation>
    </message>
    <message>
        <source>The inference process did not start: unexpected %1</source>
        <translation>推理进程未能启动：收到意外的 %1</translation>
    </message>
    <message>
        <source>The reply was stopped.</source>
        <translation>回复已停止。</translation>
    </message>
    <message>
        <source>The inference process ended: %1.</source>
        <translation>推理进程已结束：%1。</translation>
    </message>
    <message>
        <source>The inference process is not running.</source>
        <translation>推理进程未在运行。</translation>
    </message>
    <message>
        <source>The inference process did not answer in time.</source>
        <translation>推理进程未能及时响应。</translation>
    </message>
    <message>
        <source>The model stopped responding for %1 s, so its process was ended; it starts again with the next request.</source>
        <translation>模型已有 %1 秒没有响应，因此其进程已被结束；下一次请求时会重新启动。</translation>
    </message>
    <message>
        <source>Unexpected answer to a load request: %1</source>
        <translation>加载请求收到意外的应答：%1</translation>
    </message>
    <message>
        <source>Unexpected event from the inference process: %1</source>
        <translation>推理进程发来意外的事件：%1</translation>
    </message>
    <message>
        <source>Unexpected answer from the inference process: %1</source>
        <translation>推理进程返回了意外的应答：%1</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>llama.cpp could not load the model: %1</source>
        <translation>llama.cpp 无法加载该模型：%1</translation>
    </message>
    <message>
        <source>The message is %1 tokens long, but this model&apos;s context holds %2 tokens including room for the reply. Shorten it, or raise the context length in Settings.</source>
        <translation>这条消息有 %1 个 token，而该模型的上下文（含回复所需空间）只能容纳 %2 个 token。请缩短消息，或在设置中调大上下文长度。</translation>
    </message>
    <message>
        <source>The text is %1 tokens long, but this model&apos;s context holds %2.</source>
        <translation>文本有 %1 个 token，而该模型的上下文只能容纳 %2 个。</translation>
    </message>
    <message>
        <source>The grammar is not valid: %1</source>
        <translation>约束语法无效：%1</translation>
    </message>
    <message>
        <source>the model&apos;s chat template failed: %1</source>
        <translation>模型的对话模板出错：%1</translation>
    </message>
</context>
<context>
    <name>EngineQueue</name>
    <message>
        <source>The window is closing.</source>
        <translation>窗口正在关闭。</translation>
    </message>
</context>
<context>
    <name>EnginesPage</name>
    <message>
        <source>no keyring service runs here</source>
        <translation>此处没有运行密钥环服务</translation>
    </message>
    <message>
        <source>environment variable %1</source>
        <translation>环境变量 %1</translation>
    </message>
    <message>
        <source>keyring</source>
        <translation>密钥环</translation>
    </message>
    <message>
        <source>no key</source>
        <translation>无密钥</translation>
    </message>
    <message>
        <source>not given</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source>%1 W</source>
        <translation>%1 W</translation>
    </message>
    <message>
        <source>%1 answers, but serves no model.</source>
        <translation>%1 有响应，但没有提供任何模型。</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s)</source>
        <translation>
            <numerusform>%n 个模型</numerusform>
        </translation>
    </message>
    <message>
        <source>Connected: %1 (%2).</source>
        <translation>已连接：%1（%2）。</translation>
    </message>
    <message>
        <source>Tokenizer: %1</source>
        <translation>分词器：%1</translation>
    </message>
    <message>
        <source>yes, counts are exact</source>
        <translation>有，token 计数准确</translation>
    </message>
    <message>
        <source>no, counts are estimated from characters</source>
        <translation>无，token 数按字符估算</translation>
    </message>
    <message>
        <source>Log-probabilities: %1</source>
        <translation>对数概率：%1</translation>
    </message>
    <message>
        <source>yes, sentiment gets probabilities</source>
        <translation>有，情感分析可给出概率</translation>
    </message>
    <message>
        <source>no, sentiment gets labels without probabilities</source>
        <translation>无，情感分析只给标签、不给概率</translation>
    </message>
    <message>
        <source>Add a remote engine</source>
        <translation>添加远程引擎</translation>
    </message>
    <message>
        <source>e.g. llama-box</source>
        <translation>例如 llama-box</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>optional, e.g. LLAMA_BOX_KEY</source>
        <translation>可选，例如 LLAMA_BOX_KEY</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>How the app names it: its models are NAME/MODEL.</source>
        <translation>应用中对它的称呼：其模型显示为“名称/模型”。</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>基础 URL：</translation>
    </message>
    <message>
        <source>The server&apos;s OpenAI-compatible API, as %1 (llama-server, vLLM, Ollama, LM Studio).</source>
        <translation>服务器的 OpenAI 兼容 API 地址，格式为 %1（llama-server、vLLM、Ollama、LM Studio）。</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <source>Kept in your system&apos;s keyring, never in the settings or the database.</source>
        <translation>保存在系统密钥环中，绝不写入设置或数据库。</translation>
    </message>
    <message>
        <source>Or an environment variable:</source>
        <translation>或使用环境变量：</translation>
    </message>
    <message>
        <source>The name of a variable that holds the key when the app starts.</source>
        <translation>应用启动时保存密钥的环境变量名。</translation>
    </message>
    <message>
        <source>Server&apos;s average power draw (W):</source>
        <translation>服务器平均功耗（W）：</translation>
    </message>
    <message>
        <source>If you know it: replies then get an energy estimate, labelled as from your figure. Left empty, their energy is recorded as not measured (it is used on the other machine).</source>
        <translation>如果你知道这个数值：回复会据此得到能耗估算，并注明来自你填写的数值。留空时，其能耗记为“未测量”（能耗发生在另一台机器上）。</translation>
    </message>
    <message>
        <source>Context length (tokens):</source>
        <translation>上下文长度（token）：</translation>
    </message>
    <message>
        <source>When the server does not say it; %1 if left empty.</source>
        <translation>用于服务器未提供该值时；留空则为 %1。</translation>
    </message>
    <message>
        <source>No keyring is available here (%1), so the key cannot be kept safely. Put it in an environment variable and give the variable&apos;s name below.</source>
        <translation>此处没有可用的密钥环（%1），无法安全保存密钥。请将密钥放入环境变量，并在下方填写变量名。</translation>
    </message>
    <message>
        <source>Give the key either here or in an environment variable, not both.</source>
        <translation>密钥请在此处填写或放入环境变量，二者选其一。</translation>
    </message>
    <message>
        <source>Replace the engine?</source>
        <translation>替换该引擎？</translation>
    </message>
    <message>
        <source>There is already an engine named %1. Replace it?</source>
        <translation>已有名为 %1 的引擎。要替换吗？</translation>
    </message>
    <message>
        <source>Remote engines are OpenAI-compatible servers on other machines (llama-server, vLLM, Ollama, LM Studio). Their models appear in every model list under the engine&apos;s name. Changes here are saved at once.</source>
        <translation>远程引擎是运行在其他机器上的 OpenAI 兼容服务器（llama-server、vLLM、Ollama、LM Studio）。它们的模型会以引擎名称分组，出现在所有模型列表中。此页的更改会立即保存。</translation>
    </message>
    <message>
        <source>Remote engines</source>
        <translation>远程引擎</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Power draw</source>
        <translation>功耗</translation>
    </message>
    <message>
        <source>No remote engine yet: Add… one to use its models here.</source>
        <translation>还没有远程引擎：点击“添加…”即可在此使用其模型。</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Ask the server for its models, and whether it counts tokens and returns log-probabilities</source>
        <translation>向服务器查询其模型，以及是否支持 token 计数和返回对数概率</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>移除…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Added %1. Test connection to see what it serves.</source>
        <translation>已添加 %1。点击“测试连接”查看它提供的模型。</translation>
    </message>
    <message>
        <source>Remove the engine?</source>
        <translation>移除该引擎？</translation>
    </message>
    <message>
        <source>Remove %1? Its models leave the model lists and its key leaves the keyring. Replies already written with it are kept.</source>
        <translation>移除 %1？其模型将从模型列表中消失，密钥也会从密钥环中删除。已用它写出的回复会保留。</translation>
    </message>
    <message>
        <source>Removed %1.</source>
        <translation>已移除 %1。</translation>
    </message>
    <message>
        <source>Testing %1…</source>
        <translation>正在测试 %1…</translation>
    </message>
    <message>
        <source>The test was cancelled.</source>
        <translation>测试已取消。</translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>Evaluation</name>
    <message>
        <source>sentiment</source>
        <translation>情感分析</translation>
    </message>
    <message>
        <source>translation</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>summaries</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>%1 per text</source>
        <translation>每条文本 %1</translation>
    </message>
    <message>
        <source>%1 per sentence</source>
        <translation>每个句子 %1</translation>
    </message>
    <message>
        <source>%1 per article</source>
        <translation>每篇文章 %1</translation>
    </message>
    <message>
        <source>twice the energy</source>
        <translation>两倍的能耗</translation>
    </message>
    <message>
        <source>three times the energy</source>
        <translation>三倍的能耗</translation>
    </message>
    <message>
        <source>four times the energy</source>
        <translation>四倍的能耗</translation>
    </message>
    <message>
        <source>five times the energy</source>
        <translation>五倍的能耗</translation>
    </message>
    <message>
        <source>six times the energy</source>
        <translation>六倍的能耗</translation>
    </message>
    <message>
        <source>seven times the energy</source>
        <translation>七倍的能耗</translation>
    </message>
    <message>
        <source>eight times the energy</source>
        <translation>八倍的能耗</translation>
    </message>
    <message>
        <source>nine times the energy</source>
        <translation>九倍的能耗</translation>
    </message>
    <message>
        <source>ten times the energy</source>
        <translation>十倍的能耗</translation>
    </message>
    <message>
        <source>about the same energy</source>
        <translation>能耗相当</translation>
    </message>
    <message>
        <source>%1% more energy</source>
        <translation>多 %1% 的能耗</translation>
    </message>
    <message>
        <source>%1 times the energy</source>
        <translation>%1 倍的能耗</translation>
    </message>
    <message>
        <source>more energy</source>
        <translation>更多的能耗</translation>
    </message>
    <message numerus="yes">
        <source>%1 for %n more point(s)</source>
        <translation>
            <numerusform>%1，得分高 %n 分</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 for %n fewer point(s)</source>
        <translation>
            <numerusform>%1，得分反而低 %n 分</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 for the same score</source>
        <translation>%1，得分相同</translation>
    </message>
    <message>
        <source>For %1, %2 scores %3 at %4; %5 scores %6 at %7: %8.</source>
        <translation>%1：%2 得分 %3，%4；%5 得分 %6，能耗 %7：%8。</translation>
    </message>
    <message>
        <source>For %1, %2 scores best and uses the least energy: %3 at %4.</source>
        <translation>%1：%2 得分最高且能耗最低：得分 %3，%4。</translation>
    </message>
    <message>
        <source>%1 The energy figures are estimates, not meter readings.</source>
        <translation>%1能耗数据为估算值，并非实测。</translation>
    </message>
    <message>
        <source>%1 Some figures were measured while other programs kept the CPU busy: they are higher than on a quiet machine.</source>
        <translation>%1部分数据是在其他程序占用 CPU 时测得的，会高于空闲机器上的数值。</translation>
    </message>
    <message>
        <source>There is no evaluation for the task %1.</source>
        <translation>任务 %1 没有评测。</translation>
    </message>
    <message>
        <source>There are no items to evaluate.</source>
        <translation>没有可评测的条目。</translation>
    </message>
    <message>
        <source>No model to evaluate: none is installed, or every one is marked broken.</source>
        <translation>没有可评测的模型：尚未安装任何模型，或所有模型都被标记为损坏。</translation>
    </message>
    <message>
        <source>The inference process stopped.</source>
        <translation>推理进程已停止。</translation>
    </message>
</context>
<context>
    <name>Fit</name>
    <message>
        <source>Needs about %1 of GPU memory (weights %2 + KV cache %3 for %4 tokens); %5 is free.</source>
        <translation>约需 %1 显存（权重 %2 + %4 个 token 的 KV 缓存 %3），当前可用 %5。</translation>
    </message>
    <message>
        <source>Needs about %1 of GPU memory (weights %2 + KV cache %3 for %4 tokens) (KV cache estimated without the model&apos;s attention shape); %5 is free.</source>
        <translation>约需 %1 显存（权重 %2 + %4 个 token 的 KV 缓存 %3；缺少模型的注意力结构信息，KV 缓存为粗略估算），当前可用 %5。</translation>
    </message>
    <message>
        <source>Needs about %1 of memory (weights %2 + KV cache %3 for %4 tokens + %5 overhead); %6 is free.</source>
        <translation>约需 %1 内存（权重 %2 + %4 个 token 的 KV 缓存 %3 + 额外开销 %5），当前可用 %6。</translation>
    </message>
    <message>
        <source>Needs about %1 of memory (weights %2 + KV cache %3 for %4 tokens + %5 overhead) (KV cache estimated without the model&apos;s attention shape); %6 is free.</source>
        <translation>约需 %1 内存（权重 %2 + %4 个 token 的 KV 缓存 %3 + 额外开销 %5；缺少模型的注意力结构信息，KV 缓存为粗略估算），当前可用 %6。</translation>
    </message>
    <message>
        <source>Needs about %1 of memory (weights %2 + KV cache %3 for %4 tokens + %5 overhead); no GPU memory figure, so this is checked against RAM; %6 is free.</source>
        <translation>无法获取显存数据，因此按内存估算：约需 %1 内存（权重 %2 + %4 个 token 的 KV 缓存 %3 + 额外开销 %5），当前可用 %6。</translation>
    </message>
    <message>
        <source>Needs about %1 of memory (weights %2 + KV cache %3 for %4 tokens + %5 overhead) (KV cache estimated without the model&apos;s attention shape); no GPU memory figure, so this is checked against RAM; %6 is free.</source>
        <translation>无法获取显存数据，因此按内存估算：约需 %1 内存（权重 %2 + %4 个 token 的 KV 缓存 %3 + 额外开销 %5；缺少模型的注意力结构信息，KV 缓存为粗略估算），当前可用 %6。</translation>
    </message>
</context>
<context>
    <name>Forecast</name>
    <message>
        <source>No forecast: the models measured here are no longer installed, so their sizes are unknown.</source>
        <translation>无法预测：本机实测过的模型都已不在，无从得知它们的文件大小。</translation>
    </message>
    <message>
        <source>No forecast yet: no reply has been measured on this computer.</source>
        <translation>暂无预测：本机还没有实测过任何回复。</translation>
    </message>
    <message>
        <source>Measured here: about %1 per reply and %2 tok/s.</source>
        <translation>本机实测：每次回复约 %1，约 %2 tok/s。</translation>
    </message>
    <message numerus="yes">
        <source>Forecast here: about %1 per reply and %2 tok/s, scaled by file size from %n model(s) measured on this computer.</source>
        <translation>
            <numerusform>本机预测：每次回复约 %1，约 %2 tok/s（根据本机实测的 %n 个模型按文件大小推算）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Forecast here: about %1 per reply, scaled by file size from %n model(s) measured on this computer.</source>
        <translation>
            <numerusform>本机预测：每次回复约 %1（根据本机实测的 %n 个模型按文件大小推算）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Forecast here: about %1 tok/s, scaled by file size from %n model(s) measured on this computer.</source>
        <translation>
            <numerusform>本机预测：约 %1 tok/s（根据本机实测的 %n 个模型按文件大小推算）。</numerusform>
        </translation>
    </message>
    <message>
        <source>The energy it is scaled from was estimated, not metered.</source>
        <translation>推算所依据的能耗是估算值，并非实测。</translation>
    </message>
    <message>
        <source>Rough: far from the sizes measured here.</source>
        <translation>仅供粗略参考：与本机实测过的模型大小相差很大。</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>a sentence, then the next</comment>
        <translation>%1%2</translation>
    </message>
    <message numerus="yes">
        <source>Per reply: a reply of %n token(s), the median of the chat replies measured here, its prompt included.</source>
        <translation>
            <numerusform>每次回复：按 %n 个 token 的回复计算（本机实测对话回复长度的中位数），含提示词处理。</numerusform>
        </translation>
    </message>
    <message>
        <source>Writing a token reads the whole file once, so time and energy per token grow with the file&apos;s size; the forecast assumes the settings the replies here were measured with (threads, GPU layers).</source>
        <translation>每生成一个 token 都要把整个模型文件读一遍，因此每个 token 的耗时和能耗随文件大小增长；预测假定使用与本机实测时相同的设置（线程数、GPU 层数）。</translation>
    </message>
</context>
<context>
    <name>GGUF</name>
    <message>
        <source>the header</source>
        <translation>文件头</translation>
    </message>
    <message>
        <source>the format version</source>
        <translation>格式版本号</translation>
    </message>
    <message>
        <source>the tensor and metadata counts</source>
        <translation>张量数和元数据条目数</translation>
    </message>
    <message>
        <source>metadata entry %1 of %2</source>
        <translation>第 %1 个元数据条目（共 %2 个）</translation>
    </message>
    <message>
        <source>the name of metadata entry %1</source>
        <translation>第 %1 个元数据条目的名称</translation>
    </message>
    <message>
        <source>the value of metadata key &apos;%1&apos;</source>
        <translation>元数据键“%1”的值</translation>
    </message>
    <message>
        <source>metadata key &apos;%1&apos;</source>
        <translation>元数据键“%1”</translation>
    </message>
    <message>
        <source>an item of %1</source>
        <translation>%1中的一项</translation>
    </message>
    <message>
        <source>tensor info %1 of %2</source>
        <translation>第 %1 个张量信息（共 %2 个）</translation>
    </message>
    <message>
        <source>the name of tensor %1</source>
        <translation>第 %1 个张量的名称</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>%1 is truncated: the file ends after %2, in the middle of its header (while reading %3).</source>
        <translation>%1 不完整：文件在 %2 处就结束了，文件头尚未读完（正在读取%3）。</translation>
    </message>
    <message>
        <source>%1 could not be read: %2.</source>
        <translation>无法读取 %1：%2。</translation>
    </message>
    <message>
        <source>%1 is corrupt or truncated: %2 claims to be %3 bytes long, but only %4 bytes are left in the file.</source>
        <translation>%1 已损坏或不完整：%2声称长 %3 字节，但文件只剩 %4 字节。</translation>
    </message>
    <message>
        <source>%1 is corrupt: %2 is %3 bytes long (at most %4).</source>
        <translation>%1 已损坏：%2长达 %3 字节（上限为 %4）。</translation>
    </message>
    <message>
        <source>%1 is corrupt: %2 is not valid UTF-8 text (%3).</source>
        <translation>%1 已损坏：%2不是有效的 UTF-8 文本（%3）。</translation>
    </message>
    <message>
        <source>%1 is corrupt: %2 has unknown value type %3.</source>
        <translation>%1 已损坏：%2的值类型 %3 未知。</translation>
    </message>
    <message>
        <source>%1 is corrupt: %2 nests arrays more than %3 deep.</source>
        <translation>%1 已损坏：%2的数组嵌套超过 %3 层。</translation>
    </message>
    <message>
        <source>%1 is corrupt: %2 is an array of unknown value type %3.</source>
        <translation>%1 已损坏：%2是元素类型未知（%3）的数组。</translation>
    </message>
    <message>
        <source>%1 is corrupt or truncated: %2 claims %3 items, more than the %4 bytes left in the file can hold.</source>
        <translation>%1 已损坏或不完整：%2声称有 %3 项，文件剩余的 %4 字节容纳不下。</translation>
    </message>
    <message>
        <source>It is a zip archive.</source>
        <translation>它是一个 zip 压缩包。</translation>
    </message>
    <message>
        <source>It is a web page (HTML), probably an error page saved instead of the model.</source>
        <translation>它是一个网页（HTML），可能是误存下来的错误页面，而不是模型。</translation>
    </message>
    <message>
        <source>It is a Git LFS pointer, not the model itself.</source>
        <translation>它是 Git LFS 指针文件，而不是模型本身。</translation>
    </message>
    <message>
        <source>It is an old GGML-format model, which llama.cpp no longer loads.</source>
        <translation>它是旧版 GGML 格式的模型，llama.cpp 已不再支持加载。</translation>
    </message>
    <message>
        <source>It looks like a safetensors file, which must be converted to GGUF first.</source>
        <translation>它看起来是 safetensors 文件，需要先转换为 GGUF 格式。</translation>
    </message>
    <message>
        <source>(it starts with %1, not &apos;GGUF&apos;).</source>
        <translation>（文件开头是 %1，而不是“GGUF”）。</translation>
    </message>
    <message>
        <source>(it starts with %1, not &apos;GGUF&apos;). %2</source>
        <translation>（文件开头是 %1，而不是“GGUF”）。%2</translation>
    </message>
    <message>
        <source>%1 is not a regular file, so it cannot be a model.</source>
        <translation>%1 不是普通文件，不可能是模型。</translation>
    </message>
    <message>
        <source>%1 does not exist (%2).</source>
        <translation>%1 不存在（%2）。</translation>
    </message>
    <message>
        <source>%1 is a folder, not a GGUF model file.</source>
        <translation>%1 是文件夹，不是 GGUF 模型文件。</translation>
    </message>
    <message>
        <source>%1 cannot be opened: %2.</source>
        <translation>无法打开 %1：%2。</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2.</source>
        <translation>无法读取 %1：%2。</translation>
    </message>
    <message>
        <source>%1 is corrupt and cannot be read (%2).</source>
        <translation>%1 已损坏，无法读取（%2）。</translation>
    </message>
    <message>
        <source>%1 is empty (0 bytes), so it is not a GGUF model file.</source>
        <translation>%1 是空文件（0 字节），不是 GGUF 模型文件。</translation>
    </message>
    <message>
        <source>%1 is not a GGUF model file: it is only %2 bytes long %3</source>
        <translation>%1 不是 GGUF 模型文件：它只有 %2 字节%3</translation>
    </message>
    <message>
        <source>%1 is not a GGUF model file %2</source>
        <translation>%1 不是 GGUF 模型文件%2</translation>
    </message>
    <message>
        <source>%1 is a big-endian GGUF file; only little-endian files can be used.</source>
        <translation>%1 是大端序 GGUF 文件，只能使用小端序文件。</translation>
    </message>
    <message>
        <source>%1 uses GGUF version 1, an early format that llama.cpp no longer loads; download a newer conversion of this model.</source>
        <translation>%1 使用的是 GGUF 第 1 版，llama.cpp 已不再支持加载这种早期格式；请下载该模型较新的转换版本。</translation>
    </message>
    <message>
        <source>%1 has GGUF version %2, which this app cannot read (it reads versions %3 and %4).</source>
        <translation>%1 的 GGUF 版本为 %2，本应用无法读取（支持的版本为 %3 和 %4）。</translation>
    </message>
    <message>
        <source>%1 is corrupt: its header claims %2 tensors, far more than any model has.</source>
        <translation>%1 已损坏：文件头声称有 %2 个张量，远超任何模型的实际数量。</translation>
    </message>
    <message>
        <source>%1 is corrupt: its header claims %2 metadata entries, far more than any model has.</source>
        <translation>%1 已损坏：文件头声称有 %2 个元数据条目，远超任何模型的实际数量。</translation>
    </message>
    <message>
        <source>%1 is corrupt or truncated: its header claims %2 tensors and %3 metadata entries, which cannot fit in the %4 left in the file.</source>
        <translation>%1 已损坏或不完整：文件头声称有 %2 个张量和 %3 个元数据条目，文件剩余的 %4 容纳不下。</translation>
    </message>
    <message>
        <source>%1 is corrupt: metadata entry %2 has an empty name.</source>
        <translation>%1 已损坏：第 %2 个元数据条目的名称为空。</translation>
    </message>
    <message>
        <source>%1 is corrupt: metadata key &apos;%2&apos; appears twice.</source>
        <translation>%1 已损坏：元数据键“%2”出现了两次。</translation>
    </message>
    <message>
        <source>%1 is corrupt: general.alignment is %2, not a power of two.</source>
        <translation>%1 已损坏：general.alignment 为 %2，不是 2 的幂。</translation>
    </message>
    <message>
        <source>%1 is corrupt: tensor name &apos;%2&apos; is too long.</source>
        <translation>%1 已损坏：张量名称“%2”过长。</translation>
    </message>
    <message>
        <source>%1 is corrupt: tensor &apos;%2&apos; appears twice.</source>
        <translation>%1 已损坏：张量“%2”出现了两次。</translation>
    </message>
    <message>
        <source>%1 is corrupt: tensor &apos;%2&apos; has %3 dimensions (a tensor has 1 to %4).</source>
        <translation>%1 已损坏：张量“%2”有 %3 个维度（张量应有 1 到 %4 个维度）。</translation>
    </message>
    <message>
        <source>%1 has tensor &apos;%2&apos; of unknown ggml type %3; the file is corrupt or needs a newer llama.cpp.</source>
        <translation>%1 中的张量“%2”使用了未知的 ggml 类型 %3；文件可能已损坏，或需要更新版本的 llama.cpp。</translation>
    </message>
    <message>
        <source>%1 is corrupt: tensor &apos;%2&apos; has an impossible shape %3.</source>
        <translation>%1 已损坏：张量“%2”的形状 %3 不可能成立。</translation>
    </message>
    <message>
        <source>%1 is corrupt: tensor &apos;%2&apos; has rows of %3 values, not a multiple of the %4-value blocks of type %5.</source>
        <translation>%1 已损坏：张量“%2”每行有 %3 个值，不是 %5 类型块大小（%4 个值）的整数倍。</translation>
    </message>
    <message>
        <source>%1 is corrupt: tensor &apos;%2&apos; starts at offset %3, which is not a multiple of the alignment %4.</source>
        <translation>%1 已损坏：张量“%2”的起始偏移量 %3 不是对齐值 %4 的整数倍。</translation>
    </message>
    <message>
        <source>%1 is corrupt: the data of tensors &apos;%2&apos; and &apos;%3&apos; overlap.</source>
        <translation>%1 已损坏：张量“%2”和“%3”的数据相互重叠。</translation>
    </message>
    <message>
        <source>%1 is corrupt: its header places tensor &apos;%2&apos; at byte %3, far past the end of the file (%4).</source>
        <translation>%1 已损坏：文件头将张量“%2”放在第 %3 字节处，远超文件末尾（%4）。</translation>
    </message>
    <message>
        <source>%1 is truncated: its header says the tensor data runs to %2 but the file is %3.</source>
        <translation>%1 不完整：文件头表明张量数据应延续到 %2，但文件只有 %3。</translation>
    </message>
</context>
<context>
    <name>Hub</name>
    <message>
        <source>Offline mode is on (HF_HUB_OFFLINE), so the Hugging Face Hub is not contacted.</source>
        <translation>已开启离线模式（HF_HUB_OFFLINE），不会连接 Hugging Face Hub。</translation>
    </message>
    <message>
        <source>Unset HF_HUB_OFFLINE to search and download; you can still use the models you have.</source>
        <translation>取消设置 HF_HUB_OFFLINE 即可搜索和下载；已有的模型仍可照常使用。</translation>
    </message>
    <message>
        <source>Cannot reach the Hugging Face Hub at %1.</source>
        <translation>无法连接到 Hugging Face Hub（%1）。</translation>
    </message>
    <message>
        <source>You can still use the models you have.</source>
        <translation>已有的模型仍可照常使用。</translation>
    </message>
    <message>
        <source>No such repository or file on the Hub: %1.</source>
        <translation>Hub 上没有这个仓库或文件：%1。</translation>
    </message>
    <message>
        <source>searching for &apos;%1&apos;</source>
        <translation>搜索“%1”</translation>
    </message>
    <message>
        <source>listing the files of %1</source>
        <translation>列出 %1 的文件</translation>
    </message>
    <message>
        <source>No such file: %1 has no file named %2 (%3).</source>
        <translation>文件不存在：%1 中没有名为 %2 的文件（%3）。</translation>
    </message>
    <message>
        <source>%1 is gated: accept its licence on the Hub and sign in with a token to download it.</source>
        <translation>%1 是受限仓库：请先在 Hub 上同意其许可协议，并使用访问令牌登录后再下载。</translation>
    </message>
    <message>
        <source>The Hugging Face Hub failed while %1 (HTTP %2).</source>
        <translation>Hugging Face Hub 在%1时出错（HTTP %2）。</translation>
    </message>
    <message>
        <source>The server at %1 sent an answer far larger or slower than the Hub&apos;s while %2, so it was cut off. Check the Hub address in Settings.</source>
        <translation>%2时，%1 上的服务器返回的应答远比 Hub 的更大或更慢，已被截断。请在“设置”中检查 Hub 地址。</translation>
    </message>
    <message>
        <source>The server at %1 did not answer like the Hugging Face Hub while %2.</source>
        <translation>%2时，%1 上的服务器的应答不像 Hugging Face Hub。</translation>
    </message>
    <message>
        <source>The Hugging Face Hub gave an unexpected answer while %1: %2</source>
        <translation>Hugging Face Hub 在%1时返回了意外的响应：%2</translation>
    </message>
</context>
<context>
    <name>InstalledView</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>comes with the app</source>
        <translation>随应用附带</translation>
    </message>
    <message>
        <source>in the models folder</source>
        <translation>位于模型文件夹</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Translate</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>Summarize</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Sentiment</source>
        <translation>情感分析</translation>
    </message>
    <message>
        <source>, </source>
        <comment>separator between list items</comment>
        <translation>、</translation>
    </message>
    <message>
        <source>Broken: %1</source>
        <translation>已损坏：%1</translation>
    </message>
    <message>
        <source>Not usable: %1</source>
        <translation>无法使用：%1</translation>
    </message>
    <message>
        <source>used in place (%1)</source>
        <translation>原位使用（%1）</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>有</translation>
    </message>
    <message>
        <source>no</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Metadata key</source>
        <translation>元数据键</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Add a .gguf file: copied into the models folder or used where it is</source>
        <translation>添加 .gguf 文件：复制到模型文件夹，或在原位置直接使用</translation>
    </message>
    <message>
        <source>Set as default for</source>
        <translation>设为默认模型</translation>
    </message>
    <message>
        <source>All tasks</source>
        <translation>所有任务</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Open the folder that holds the file in the file manager</source>
        <translation>在文件管理器中打开该文件所在的文件夹</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>移除…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Reading the metadata of %1…</source>
        <translation>正在读取 %1 的元数据…</translation>
    </message>
    <message>
        <source>The starter model comes with the app.</source>
        <translation>入门模型随应用附带，不能移除。</translation>
    </message>
    <message>
        <source>Delete the file (or forget a file used in place)</source>
        <translation>删除文件（原位使用的文件只会从列表中移除）</translation>
    </message>
    <message>
        <source>%1 is now the default for %2.</source>
        <translation>%1 现已设为%2的默认模型。</translation>
    </message>
    <message>
        <source>Import a GGUF model</source>
        <translation>导入 GGUF 模型</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import a model</source>
        <translation>导入模型</translation>
    </message>
    <message>
        <source>How should %1 be added?</source>
        <translation>要如何添加 %1？</translation>
    </message>
    <message>
        <source>A copy in the models folder stays available if the original moves. Using it in place saves the disk space; the file stays yours and is never deleted.</source>
        <translation>复制到模型文件夹后，即使原文件被移动也能继续使用。原位使用可节省磁盘空间；文件仍由你保管，应用绝不会删除它。</translation>
    </message>
    <message>
        <source>Copy into the models folder</source>
        <translation>复制到模型文件夹</translation>
    </message>
    <message>
        <source>Use it where it is</source>
        <translation>在原位置使用</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <source>Good for</source>
        <translation>适用场景</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Energy per reply</source>
        <translation>每条回复能耗</translation>
    </message>
    <message>
        <source>Default for</source>
        <translation>默认用于</translation>
    </message>
    <message>
        <source>Trying the app: tiny and quick, but it knows few facts and writes very little Chinese.</source>
        <translation>适合试用本应用：体积小、响应快，但知识有限，几乎不会写中文。</translation>
    </message>
    <message>
        <source>Not measured yet: it has not written here.</source>
        <translation>尚未实测：它还没有在这台电脑上生成过内容。</translation>
    </message>
    <message numerus="yes">
        <source>Measured on this computer over %n reply(ies)</source>
        <translation>
            <numerusform>基于本机 %n 条回复实测</numerusform>
        </translation>
    </message>
    <message>
        <source>Not measured yet: it has not answered in a chat here.</source>
        <translation>尚未实测：它还没有在这台电脑上回复过对话。</translation>
    </message>
    <message numerus="yes">
        <source>The average chat reply on this computer, over %n reply(ies)</source>
        <translation>
            <numerusform>本机对话回复的平均值，共 %n 条回复</numerusform>
        </translation>
    </message>
    <message>
        <source>Languages: %1</source>
        <translation>语言：%1</translation>
    </message>
    <message>
        <source>Not a catalog model.</source>
        <translation>不在模型目录中。</translation>
    </message>
    <message>
        <source>Installed models</source>
        <translation>已安装的模型</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详细信息</translation>
    </message>
    <message>
        <source>sha256, the file&apos;s path and every GGUF metadata key</source>
        <translation>sha256、文件路径和全部 GGUF 元数据键</translation>
    </message>
    <message>
        <source>GGUF metadata</source>
        <translation>GGUF 元数据</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>This model&apos;s own context length, GPU layers, threads and chat template</source>
        <translation>为此模型单独设置上下文长度、GPU 层数、线程数和对话模板</translation>
    </message>
    <message>
        <source>Make smaller…</source>
        <translation>缩小模型…</translation>
    </message>
    <message>
        <source>Write a smaller quantization of this model with llama.cpp&apos;s quantizer: less memory and energy, somewhat worse answers</source>
        <translation>用 llama.cpp 的量化工具为此模型生成更小的量化版本：占用内存更少、能耗更低，但回答质量会有所下降</translation>
    </message>
    <message>
        <source>Choose a model to see what it is good for.</source>
        <translation>选择一个模型，查看它的适用场景。</translation>
    </message>
    <message>
        <source>Not one of the catalog&apos;s models, so the app cannot say what it is good for.</source>
        <translation>此模型不在模型目录中，应用无法说明它的适用场景。</translation>
    </message>
    <message>
        <source>%1 parameters · %2 on disk · context %3 tokens</source>
        <translation>%1 参数 · 占用磁盘 %2 · 上下文 %3 token</translation>
    </message>
    <message>
        <source>%1 on disk</source>
        <translation>占用磁盘 %1</translation>
    </message>
    <message>
        <source>Not used on this computer yet: its speed and energy per reply show after it has answered.</source>
        <translation>尚未在这台电脑上使用：回复过之后，这里会显示它的速度和每条回复的能耗。</translation>
    </message>
    <message>
        <source>%1 per chat reply</source>
        <translation>每条对话回复 %1</translation>
    </message>
    <message>
        <source>Measured here: %1</source>
        <translation>本机实测：%1</translation>
    </message>
    <message>
        <source>Default for %1</source>
        <translation>默认用于：%1</translation>
    </message>
    <message>
        <source>Not the default for any task.</source>
        <translation>未设为任何任务的默认模型。</translation>
    </message>
    <message>
        <source>File: %1</source>
        <translation>文件：%1</translation>
    </message>
    <message>
        <source>sha256: %1</source>
        <translation>sha256：%1</translation>
    </message>
    <message>
        <source>being computed…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Architecture: %1</source>
        <translation>架构：%1</translation>
    </message>
    <message>
        <source>Quantization: %1</source>
        <translation>量化：%1</translation>
    </message>
    <message>
        <source>Chat template in the file: %1</source>
        <translation>文件内含聊天模板：%1</translation>
    </message>
    <message>
        <source>Licence: %1</source>
        <translation>许可证：%1</translation>
    </message>
    <message>
        <source>Catalog entry: %1</source>
        <translation>模型目录条目：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n GGUF metadata key(s)</source>
        <translation>
            <numerusform>%n 个 GGUF 元数据键</numerusform>
        </translation>
    </message>
    <message>
        <source>Made %1 (%2, %3% smaller) in %4 s.</source>
        <translation>已生成 %1（%2，缩小 %3%），用时 %4 秒。</translation>
    </message>
    <message>
        <source>A good GGUF file: %1, %2 parameters, %3.</source>
        <translation>GGUF 文件检查通过：%1，%2 参数，%3。</translation>
    </message>
    <message>
        <source>Import cancelled; nothing was kept.</source>
        <translation>已取消导入，未保留任何文件。</translation>
    </message>
    <message>
        <source>Imported %1 (%2).</source>
        <translation>已导入 %1（%2）。</translation>
    </message>
    <message>
        <source>Copying… %1 of %2</source>
        <translation>正在复制… %1 / %2</translation>
    </message>
    <message>
        <source>Stop using %1? The file stays where it is (%2); no disk space is freed.</source>
        <translation>停止使用 %1？文件仍保留在原位置（%2），不会释放磁盘空间。</translation>
    </message>
    <message>
        <source>Delete %1? This frees %2 and cannot be undone. Chats that used it keep their text.</source>
        <translation>删除 %1？这将释放 %2，且无法撤销。使用过该模型的对话会保留其内容。</translation>
    </message>
    <message>
        <source>Remove model</source>
        <translation>移除模型</translation>
    </message>
    <message>
        <source>Removed %1; %2 freed.</source>
        <translation>已移除 %1，释放了 %2。</translation>
    </message>
    <message>
        <source>%1 is no longer used; its file was left where it is.</source>
        <translation>已停止使用 %1，其文件仍保留在原位置。</translation>
    </message>
</context>
<context>
    <name>Languages</name>
    <message>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <source>Simplified Chinese</source>
        <translation>简体中文</translation>
    </message>
    <message>
        <source>Traditional Chinese</source>
        <translation>繁体中文</translation>
    </message>
    <message>
        <source>Japanese</source>
        <translation>日语</translation>
    </message>
    <message>
        <source>Korean</source>
        <translation>韩语</translation>
    </message>
    <message>
        <source>French</source>
        <translation>法语</translation>
    </message>
    <message>
        <source>German</source>
        <translation>德语</translation>
    </message>
    <message>
        <source>Spanish</source>
        <translation>西班牙语</translation>
    </message>
    <message>
        <source>Russian</source>
        <translation>俄语</translation>
    </message>
    <message>
        <source>Portuguese</source>
        <translation>葡萄牙语</translation>
    </message>
    <message>
        <source>Arabic</source>
        <translation>阿拉伯语</translation>
    </message>
    <message>
        <source>Unknown language &apos;%1&apos;. Use one of: %2.</source>
        <translation>未知语言“%1”。可选：%2。</translation>
    </message>
</context>
<context>
    <name>LocalServer</name>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Copy URL</source>
        <translation>复制 URL</translation>
    </message>
    <message>
        <source>Copy the address clients use (the OpenAI base URL)</source>
        <translation>复制客户端使用的地址（即 OpenAI 客户端的基础地址）</translation>
    </message>
    <message>
        <source>127.0.0.1 answers programs on this computer only. Any other address, such as 0.0.0.0, lets other computers on your network use your models and your computer&apos;s power: the server then starts only with an API key. Changes below apply when the server starts again.</source>
        <translation>127.0.0.1 只应答本机上的程序。其他任何地址（例如 0.0.0.0）都会让网络中的其他电脑使用你的模型和本机的算力，因此这时服务器必须设置 API 密钥才能启动。下方的更改在服务器下次启动时生效。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>启动</translation>
    </message>
    <message>
        <source>API %1 · %2</source>
        <translation>API %1 · %2</translation>
    </message>
    <message>
        <source>The local OpenAI-compatible server is listening at %1. Click for its settings.</source>
        <translation>本地 OpenAI 兼容服务器正在监听 %1。点击打开其设置。</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) answered</source>
        <translation>
            <numerusform>已应答 %n 个请求</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n 个进行中</numerusform>
        </translation>
    </message>
    <message>
        <source>Listening at %1 · %2</source>
        <translation>正在监听 %1 · %2</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation>对话(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Models</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;New chat</source>
        <translation>新对话(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Local server</source>
        <translation>本地服务器(&amp;L)</translation>
    </message>
    <message>
        <source>Let editors, scripts and agents use your models through the OpenAI API</source>
        <translation>让编辑器、脚本和智能体通过 OpenAI API 使用你的模型</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Search chats</source>
        <translation>搜索对话(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;top reply</source>
        <translation>停止回复(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Regenerate reply</source>
        <translation>重新生成回复(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Attach files…</source>
        <translation>添加附件(&amp;A)…</translation>
    </message>
    <message>
        <source>Re&amp;name chat…</source>
        <translation>重命名对话(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Delete chat…</source>
        <translation>删除对话(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Energy dashboard…</source>
        <translation>能耗面板(&amp;E)…</translation>
    </message>
    <message>
        <source>What your replies cost in energy and carbon</source>
        <translation>查看回复的能耗与碳排放</translation>
    </message>
    <message>
        <source>&amp;Manage models…</source>
        <translation>管理模型(&amp;M)…</translation>
    </message>
    <message>
        <source>Installed models, the catalog, Hub search, downloads</source>
        <translation>已安装的模型、模型目录、Hub 搜索和下载</translation>
    </message>
    <message>
        <source>&amp;Import a GGUF file…</source>
        <translation>导入 GGUF 文件(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Find models to download…</source>
        <translation>查找可下载的模型(&amp;F)…</translation>
    </message>
    <message>
        <source>Main</source>
        <comment>the toolbar&apos;s name</comment>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Search chats</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Energy</source>
        <translation>能耗</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>tooltip: action (keys)</comment>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Loading %1 again (it was unloaded to save memory)…</source>
        <translation>正在重新加载 %1（此前为节省内存已将其卸载）…</translation>
    </message>
    <message>
        <source>Loading model %1…</source>
        <translation>正在加载模型 %1…</translation>
    </message>
    <message>
        <source>Model loaded</source>
        <translation>模型已加载</translation>
    </message>
    <message>
        <source>Model unloaded after %1 min idle to free memory</source>
        <translation>模型空闲 %1 分钟后已卸载，以释放内存</translation>
    </message>
    <message>
        <source>Settings saved. They apply from the next reply.</source>
        <translation>设置已保存，从下一条回复起生效。</translation>
    </message>
    <message>
        <source>Downloaded %1; it is in the model list now.</source>
        <translation>%1 已下载，现已加入模型列表。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Stopping the run before closing…</source>
        <translation>正在停止任务，随后关闭…</translation>
    </message>
    <message>
        <source>Stopping the reply before closing…</source>
        <translation>正在停止回复，随后关闭…</translation>
    </message>
</context>
<context>
    <name>Metadata</name>
    <message>
        <source>array of %1 strings</source>
        <translation>包含 %1 个字符串的数组</translation>
    </message>
    <message>
        <source>array of %1 %2 values</source>
        <translation>包含 %1 个 %2 值的数组</translation>
    </message>
    <message>
        <source>… (%1 characters)</source>
        <translation>…（共 %1 个字符）</translation>
    </message>
    <message>
        <source>%1 cannot be read as a GGUF file: %2</source>
        <translation>无法将 %1 作为 GGUF 文件读取：%2</translation>
    </message>
    <message>
        <source>(unreadable: %1)</source>
        <translation>（无法读取：%1）</translation>
    </message>
</context>
<context>
    <name>ModeSwitcher</name>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Translate</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>Summarize</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Sentiment</source>
        <translation>情感分析</translation>
    </message>
    <message>
        <source>%1 (Ctrl+%2)</source>
        <translation>%1（Ctrl+%2）</translation>
    </message>
</context>
<context>
    <name>ModelHost</name>
    <message>
        <source>No model is installed. Import a .gguf file or download one.</source>
        <translation>尚未安装任何模型。请导入一个 .gguf 文件，或下载一个模型。</translation>
    </message>
    <message>
        <source>%1 could not be loaded: %2</source>
        <translation>无法加载 %1：%2</translation>
    </message>
    <message>
        <source>Loading was stopped.</source>
        <translation>已停止加载。</translation>
    </message>
    <message>
        <source>%1 crashed the inference process while loading; %2 The file may be damaged or need a newer llama.cpp.</source>
        <translation>加载 %1 时推理进程崩溃；%2 该文件可能已损坏，或需要更新版本的 llama.cpp。</translation>
    </message>
    <message>
        <source>This needs a model on this computer, not a remote one.</source>
        <translation>此操作需要本机上的模型，不能使用远程模型。</translation>
    </message>
    <message>
        <source>Stopped before the model was free: nothing was sent to it.</source>
        <translation>已在模型空闲前停止：没有向模型发送任何内容。</translation>
    </message>
</context>
<context>
    <name>ModelManagerDialog</name>
    <message>
        <source>Models</source>
        <translation>模型管理</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <source>Discover</source>
        <translation>发现</translation>
    </message>
    <message>
        <source>Remote</source>
        <translation>远程</translation>
    </message>
    <message>
        <source>Downloaded %1; it is in the Installed list now.</source>
        <translation>已下载 %1，现已出现在“已安装”列表中。</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <source>starter: tiny, for trying the app</source>
        <translation>入门模型：体积很小，适合试用</translation>
    </message>
    <message>
        <source>The model that answers in this chat and in new ones</source>
        <translation>在此对话及新对话中回答的模型</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1 — broken</source>
        <translation>%1（已损坏）</translation>
    </message>
    <message>
        <source>★ %1</source>
        <comment>a model on the task&apos;s Pareto front</comment>
        <translation>★ %1</translation>
    </message>
    <message>
        <source>★ Best energy for its quality: in this task&apos;s evaluation no other model scored as well for less energy (Energy dashboard, Which model?).</source>
        <translation>★ 同等质量下能耗最低：在此任务的评测中，没有其他模型能以更低的能耗取得同样的得分（能耗看板 › 选哪个模型？）。</translation>
    </message>
    <message>
        <source>%1 (eco pick)</source>
        <translation>%1（节能之选）</translation>
    </message>
    <message>
        <source>Eco mode suggests it: of the models on this task&apos;s front, it uses the least energy.</source>
        <translation>节能模式推荐：在此任务前沿上的模型中，它耗能最少。</translation>
    </message>
    <message>
        <source>No model installed</source>
        <translation>未安装模型</translation>
    </message>
    <message>
        <source>Manage models…</source>
        <translation>管理模型…</translation>
    </message>
    <message>
        <source>Download, import, inspect and remove models (Ctrl+Shift+M)</source>
        <translation>下载、导入、查看和移除模型（Ctrl+Shift+M）</translation>
    </message>
    <message>
        <source>Remote engine %1 at %2</source>
        <translation>远程引擎 %1，地址 %2</translation>
    </message>
    <message>
        <source>    listing its models…</source>
        <translation>    正在获取模型列表…</translation>
    </message>
    <message>
        <source>    not reachable</source>
        <translation>    无法连接</translation>
    </message>
    <message>
        <source>    serves no model</source>
        <translation>    未提供模型</translation>
    </message>
    <message>
        <source>%1, on %2 (%3)</source>
        <translation>%1，位于 %2（%3）</translation>
    </message>
</context>
<context>
    <name>ModelSettings</name>
    <message>
        <source>%1 must be a whole number.</source>
        <translation>%1必须是整数。</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <source>GPU layers</source>
        <translation>GPU 层数</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <source>Chat template</source>
        <translation>对话模板</translation>
    </message>
    <message>
        <source>The chat template must be text.</source>
        <translation>对话模板必须是文本。</translation>
    </message>
    <message>
        <source>The chat template does not work: %1</source>
        <translation>对话模板无法使用：%1</translation>
    </message>
    <message>
        <source>The context length must be from %1 to %2 tokens: %2 is what this model was trained for.</source>
        <translation>上下文长度须在 %1 到 %2 个 token 之间：%2 是此模型训练时的上下文长度。</translation>
    </message>
    <message>
        <source>The context length must be from %1 to %2 tokens.</source>
        <translation>上下文长度须在 %1 到 %2 个 token 之间。</translation>
    </message>
    <message>
        <source>GPU layers must be from -1 (all) to %1, the layers this model has.</source>
        <translation>GPU 层数须在 -1（全部）到 %1 之间，%1 是此模型的层数。</translation>
    </message>
    <message>
        <source>GPU layers must be from -1 (all) to %1.</source>
        <translation>GPU 层数须在 -1（全部）到 %1 之间。</translation>
    </message>
    <message>
        <source>Threads must be from 1 to %1, the CPU threads of this computer.</source>
        <translation>线程数须在 1 到 %1 之间，%1 是这台电脑的 CPU 线程数。</translation>
    </message>
</context>
<context>
    <name>ModelSettingsDialog</name>
    <message>
        <source>Settings for %1</source>
        <translation>%1 的设置</translation>
    </message>
    <message>
        <source>These replace the app-wide engine settings for this model only. Leave a field empty to use the app-wide value.</source>
        <translation>以下设置仅对此模型生效，会替代全局引擎设置。留空则使用全局设置。</translation>
    </message>
    <message>
        <source>App-wide: %1</source>
        <translation>全局设置：%1</translation>
    </message>
    <message>
        <source>Empty: the template in the model&apos;s file.</source>
        <translation>留空：使用模型文件自带的模板。</translation>
    </message>
    <message>
        <source>Start from the model&apos;s template</source>
        <translation>以模型自带模板为起点</translation>
    </message>
    <message>
        <source>Put the template from the model&apos;s file here, to edit it</source>
        <translation>将模型文件中的模板填入此处，以便编辑</translation>
    </message>
    <message>
        <source>Reading the model&apos;s file…</source>
        <translation>正在读取模型文件…</translation>
    </message>
    <message>
        <source>Reset to defaults</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <source>Empty every field: this model uses the app-wide settings and its own template</source>
        <translation>清空所有字段：此模型将使用全局设置及其自带模板</translation>
    </message>
    <message>
        <source>%1 to %2 tokens (what the model was trained for).</source>
        <translation>%1 到 %2 个 token（模型训练时的上下文长度）。</translation>
    </message>
    <message>
        <source>%1 to %2 tokens.</source>
        <translation>%1 到 %2 个 token。</translation>
    </message>
    <message>
        <source>%1 (all) to %2; 0 runs on the CPU.</source>
        <translation>%1（全部）到 %2；0 表示只用 CPU 运行。</translation>
    </message>
    <message>
        <source>1 to %1 (the CPU threads of this computer).</source>
        <translation>1 到 %1（这台电脑的 CPU 线程数）。</translation>
    </message>
    <message>
        <source>Jinja, as in a GGUF file; checked when you save. It receives messages (each with a role and content), bos_token, eos_token and add_generation_prompt.</source>
        <translation>使用 Jinja 语法，与 GGUF 文件中的模板相同；保存时会检查。模板可使用 messages（每条含 role 和 content）、bos_token、eos_token 和 add_generation_prompt。</translation>
    </message>
    <message>
        <source>This llama.cpp build runs on the CPU only: it is ignored.</source>
        <translation>当前 llama.cpp 版本仅支持 CPU，此项不生效。</translation>
    </message>
    <message>
        <source>The model is loaded now; it is loaded again with these settings at its next use.</source>
        <translation>此模型当前已加载；下次使用时将按这些设置重新加载。</translation>
    </message>
    <message>
        <source>They apply the next time the model is loaded.</source>
        <translation>下次加载此模型时生效。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>%1 uses the app-wide settings again.</source>
        <translation>%1 已恢复使用全局设置。</translation>
    </message>
    <message>
        <source>Saved the settings of %1; they apply when it is next loaded.</source>
        <translation>已保存 %1 的设置，下次加载时生效。</translation>
    </message>
    <message>
        <source>Nothing was saved: fix what is marked.</source>
        <translation>未保存任何更改：请修正标出的问题。</translation>
    </message>
</context>
<context>
    <name>Models</name>
    <message>
        <source>%1 is not a GGUF model file (its name does not end in .gguf).</source>
        <translation>%1 不是 GGUF 模型文件（文件名不以 .gguf 结尾）。</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 不存在。</translation>
    </message>
    <message>
        <source>%1 is a folder, not a GGUF model file.</source>
        <translation>%1 是文件夹，不是 GGUF 模型文件。</translation>
    </message>
    <message>
        <source>%1 could not be copied to %2: %3.</source>
        <translation>无法将 %1 复制到 %2：%3。</translation>
    </message>
    <message>
        <source>%1 comes with the app and cannot be removed.</source>
        <translation>%1 是应用自带的模型，无法移除。</translation>
    </message>
    <message>
        <source>%1 is not in the models folder (%2), so it is not deleted.</source>
        <translation>%1 不在模型文件夹（%2）中，因此不会删除。</translation>
    </message>
    <message>
        <source>%1 could not be deleted: %2.</source>
        <translation>无法删除 %1：%2。</translation>
    </message>
    <message>
        <source>No model name given. %1</source>
        <translation>未指定模型名称。%1</translation>
    </message>
    <message>
        <source>No model named &apos;%1&apos;. %2</source>
        <translation>没有名为“%1”的模型。%2</translation>
    </message>
    <message>
        <source>No models are installed: put a .gguf file in %1 or give the path to one.</source>
        <translation>尚未安装任何模型：请将 .gguf 文件放入 %1，或指定一个 .gguf 文件的路径。</translation>
    </message>
    <message>
        <source>Installed: %1.</source>
        <translation>已安装：%1。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; matches more than one model: %2. Give the full name.</source>
        <translation>“%1”匹配到多个模型：%2。请输入完整名称。</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2.</source>
        <translation>无法读取 %1：%2。</translation>
    </message>
</context>
<context>
    <name>OutputFiles</name>
    <message>
        <source>%1 already exists; it is replaced only when you ask.</source>
        <translation>%1 已存在；只有在您要求时才会替换它。</translation>
    </message>
    <message>
        <source>%1 is the input file; choose another file for the results.</source>
        <translation>%1 是输入文件；请为结果另选一个文件。</translation>
    </message>
    <message>
        <source>%1 is a folder; name a file inside it.</source>
        <translation>%1 是文件夹；请指定其中的一个文件。</translation>
    </message>
    <message>
        <source>%1 is not a regular file; name another.</source>
        <translation>%1 不是普通文件；请另选一个。</translation>
    </message>
    <message>
        <source>You do not have permission to write %1.</source>
        <translation>您没有写入 %1 的权限。</translation>
    </message>
    <message>
        <source>Could not write %1: %2.</source>
        <translation>无法写入 %1：%2。</translation>
    </message>
    <message>
        <source>%1 is not a folder.</source>
        <translation>%1 不是文件夹。</translation>
    </message>
    <message>
        <source>New files cannot be created in %1.</source>
        <translation>无法在 %1 中新建文件。</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>文件夹 %1 不存在。</translation>
    </message>
    <message>
        <source>You do not have permission to write in %1.</source>
        <translation>您没有在 %1 中写入的权限。</translation>
    </message>
</context>
<context>
    <name>Quantization</name>
    <message>
        <source>32-bit floats, unquantized: the largest file, no quality loss; rarely worth it.</source>
        <translation>32 位浮点，未量化：文件最大，没有质量损失；通常不值得。</translation>
    </message>
    <message>
        <source>16-bit floats, unquantized: reference quality, about 4x the size of Q4.</source>
        <translation>16 位浮点，未量化：基准质量，体积约为 Q4 的 4 倍。</translation>
    </message>
    <message>
        <source>bfloat16, unquantized: reference quality, as large as F16.</source>
        <translation>bfloat16，未量化：基准质量，体积与 F16 相同。</translation>
    </message>
    <message>
        <source>8-bit (8.5 bits per weight): practically lossless, about half the size of F16.</source>
        <translation>8 位（每个权重 8.5 位）：几乎无损，体积约为 F16 的一半。</translation>
    </message>
    <message>
        <source>6-bit k-quant (6.6 bits per weight): near-lossless, a good choice if it fits.</source>
        <translation>6 位 K 量化（每个权重 6.6 位）：接近无损，内存够用时是不错的选择。</translation>
    </message>
    <message>
        <source>5-bit k-quant, medium (5.7 bits per weight): very close to the original.</source>
        <translation>5 位 K 量化，中档（每个权重 5.7 位）：与原始模型非常接近。</translation>
    </message>
    <message>
        <source>5-bit k-quant, small (5.5 bits per weight): very close to the original.</source>
        <translation>5 位 K 量化，小档（每个权重 5.5 位）：与原始模型非常接近。</translation>
    </message>
    <message>
        <source>5-bit k-quant (about 5.5 bits per weight): very close to the original.</source>
        <translation>5 位 K 量化（每个权重约 5.5 位）：与原始模型非常接近。</translation>
    </message>
    <message>
        <source>Legacy 5-bit (6 bits per weight): good quality; prefer Q5_K_M.</source>
        <translation>旧式 5 位（每个权重 6 位）：质量好；建议优先选择 Q5_K_M。</translation>
    </message>
    <message>
        <source>Legacy 5-bit (5.5 bits per weight): good quality; prefer Q5_K_S.</source>
        <translation>旧式 5 位（每个权重 5.5 位）：质量好；建议优先选择 Q5_K_S。</translation>
    </message>
    <message>
        <source>4-bit k-quant, medium (4.8 bits per weight): the usual best balance.</source>
        <translation>4 位 K 量化，中档（每个权重 4.8 位）：通常是最均衡的选择。</translation>
    </message>
    <message>
        <source>4-bit k-quant, small (4.6 bits per weight): slightly smaller and worse than Q4_K_M.</source>
        <translation>4 位 K 量化，小档（每个权重 4.6 位）：比 Q4_K_M 略小，质量也略差。</translation>
    </message>
    <message>
        <source>4-bit k-quant (about 4.7 bits per weight): a good balance of size and quality.</source>
        <translation>4 位 K 量化（每个权重约 4.7 位）：体积与质量兼顾。</translation>
    </message>
    <message>
        <source>Legacy 4-bit (5 bits per weight): fine quality; prefer Q4_K_M.</source>
        <translation>旧式 4 位（每个权重 5 位）：质量尚可；建议优先选择 Q4_K_M。</translation>
    </message>
    <message>
        <source>Legacy 4-bit (4.5 bits per weight): small and fast on some CPUs (ARM); prefer Q4_K_M.</source>
        <translation>旧式 4 位（每个权重 4.5 位）：体积小，在部分 CPU（ARM）上速度快；建议优先选择 Q4_K_M。</translation>
    </message>
    <message>
        <source>4-bit repacked for ARM CPUs: fast on ARM, not usable in current llama.cpp.</source>
        <translation>为 ARM CPU 重新排布的 4 位量化：在 ARM 上速度快，但当前的 llama.cpp 已无法使用。</translation>
    </message>
    <message>
        <source>3-bit k-quant, large (4.3 bits per weight): noticeable quality loss.</source>
        <translation>3 位 K 量化，大档（每个权重 4.3 位）：质量损失明显。</translation>
    </message>
    <message>
        <source>3-bit k-quant, medium (3.9 bits per weight): noticeable quality loss.</source>
        <translation>3 位 K 量化，中档（每个权重 3.9 位）：质量损失明显。</translation>
    </message>
    <message>
        <source>3-bit k-quant, small (3.5 bits per weight): clear quality loss.</source>
        <translation>3 位 K 量化，小档（每个权重 3.5 位）：质量损失显著。</translation>
    </message>
    <message>
        <source>3-bit k-quant (about 3.9 bits per weight): noticeable quality loss.</source>
        <translation>3 位 K 量化（每个权重约 3.9 位）：质量损失明显。</translation>
    </message>
    <message>
        <source>2-bit k-quant (about 3 bits per weight): the smallest k-quant, large quality loss.</source>
        <translation>2 位 K 量化（每个权重约 3 位）：最小的 K 量化，质量损失很大。</translation>
    </message>
    <message>
        <source>2-bit k-quant, small: very large quality loss; only when nothing else fits.</source>
        <translation>2 位 K 量化，小档：质量损失极大；仅在其他量化都放不下时使用。</translation>
    </message>
    <message>
        <source>4-bit importance quant, non-linear (4.5 bits per weight): a better Q4_0.</source>
        <translation>4 位重要性量化，非线性（每个权重 4.5 位）：更好的 Q4_0。</translation>
    </message>
    <message>
        <source>4-bit importance quant (4.3 bits per weight): close to Q4_K_S in a smaller file.</source>
        <translation>4 位重要性量化（每个权重 4.3 位）：质量接近 Q4_K_S，文件更小。</translation>
    </message>
    <message>
        <source>3-bit importance quant, medium (3.7 bits per weight): beats Q3_K_S for its size.</source>
        <translation>3 位重要性量化，中档（每个权重 3.7 位）：同等体积下胜过 Q3_K_S。</translation>
    </message>
    <message>
        <source>3-bit importance quant (3.4 bits per weight): better than Q3_K_S for its size.</source>
        <translation>3 位重要性量化（每个权重 3.4 位）：同等体积下优于 Q3_K_S。</translation>
    </message>
    <message>
        <source>3-bit importance quant, extra small (3.3 bits per weight): clear quality loss.</source>
        <translation>3 位重要性量化，超小档（每个权重 3.3 位）：质量损失显著。</translation>
    </message>
    <message>
        <source>3-bit importance quant, tiniest (3.1 bits per weight): clear quality loss.</source>
        <translation>3 位重要性量化，最小档（每个权重 3.1 位）：质量损失显著。</translation>
    </message>
    <message>
        <source>2-bit importance quant, medium (2.7 bits per weight): large quality loss.</source>
        <translation>2 位重要性量化，中档（每个权重 2.7 位）：质量损失很大。</translation>
    </message>
    <message>
        <source>2-bit importance quant (2.5 bits per weight): large quality loss.</source>
        <translation>2 位重要性量化（每个权重 2.5 位）：质量损失很大。</translation>
    </message>
    <message>
        <source>2-bit importance quant, extra small (2.3 bits per weight): large quality loss.</source>
        <translation>2 位重要性量化，超小档（每个权重 2.3 位）：质量损失很大。</translation>
    </message>
    <message>
        <source>2-bit importance quant, tiniest (2.1 bits per weight): very large quality loss.</source>
        <translation>2 位重要性量化，最小档（每个权重 2.1 位）：质量损失极大。</translation>
    </message>
    <message>
        <source>1-bit importance quant, medium (1.75 bits per weight): barely usable.</source>
        <translation>1 位重要性量化，中档（每个权重 1.75 位）：勉强可用。</translation>
    </message>
    <message>
        <source>1-bit importance quant (1.6 bits per weight): barely usable; big models only.</source>
        <translation>1 位重要性量化（每个权重 1.6 位）：勉强可用；仅适合大模型。</translation>
    </message>
    <message>
        <source>Ternary (1.7 bits per weight): only for models trained ternary (BitNet).</source>
        <translation>三值量化（每个权重 1.7 位）：仅适用于按三值训练的模型（BitNet）。</translation>
    </message>
    <message>
        <source>Ternary (2.1 bits per weight): only for models trained ternary (BitNet).</source>
        <translation>三值量化（每个权重 2.1 位）：仅适用于按三值训练的模型（BitNet）。</translation>
    </message>
    <message>
        <source>4-bit microscaling floats: the format gpt-oss models ship in.</source>
        <translation>4 位微缩放浮点（MXFP4）：gpt-oss 模型发布时采用的格式。</translation>
    </message>
    <message>
        <source>4-bit microscaling floats for mixture-of-experts weights (gpt-oss).</source>
        <translation>用于混合专家（MoE）权重的 4 位微缩放浮点（gpt-oss）。</translation>
    </message>
    <message>
        <source>Unknown quantization.</source>
        <translation>量化类型未知。</translation>
    </message>
    <message>
        <source>%1 (Embedding/output weights kept at higher precision.)</source>
        <translation>%1（嵌入层和输出层权重保留了更高精度。）</translation>
    </message>
    <message>
        <source>%1: a quantization type this app has no description for.</source>
        <translation>%1：本应用暂无这种量化类型的说明。</translation>
    </message>
</context>
<context>
    <name>Quantize</name>
    <message>
        <source>Made on this computer from %1 (%2).</source>
        <translation>在本机由 %1（%2）生成。</translation>
    </message>
    <message>
        <source>Made from %1, which was already quantized (%2). Quantizing a quantized file again loses more quality than quantizing the original F16 or F32 weights: an official %3 file of the same model would answer better.</source>
        <translation>由 %1 生成，该文件本身已经过量化（%2）。对已量化的文件再次量化，质量损失比从原始 F16 或 F32 权重量化更大：同一模型的官方 %3 文件回答会更好。</translation>
    </message>
    <message>
        <source>%1 needs an importance matrix, which this app does not compute. Choose one of: %2.</source>
        <translation>%1 需要重要性矩阵（importance matrix），本应用不会计算它。请从以下类型中选择：%2。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a quantization type this app makes. Choose one of: %2.</source>
        <translation>本应用无法生成“%1”这种量化类型。请从以下类型中选择：%2。</translation>
    </message>
    <message>
        <source>The model is already %1.</source>
        <translation>该模型已经是 %1。</translation>
    </message>
    <message>
        <source>%1 is not smaller than %2, the model&apos;s own type.</source>
        <translation>%1 并不比该模型当前的类型 %2 更小。</translation>
    </message>
    <message>
        <source>No smaller type can be made from it.</source>
        <translation>无法由它生成更小的类型。</translation>
    </message>
    <message>
        <source>Choose a smaller one: %1.</source>
        <translation>请选择更小的类型：%1。</translation>
    </message>
    <message>
        <source>The quantizer did not start in time.</source>
        <translation>量化工具未能及时启动。</translation>
    </message>
    <message>
        <source>exit code %1</source>
        <translation>退出码 %1</translation>
    </message>
    <message>
        <source>The quantizer stopped unexpectedly (%1); nothing was kept.</source>
        <translation>量化工具意外停止（%1），未保留任何文件。</translation>
    </message>
    <message>
        <source>The model file %1 is missing.</source>
        <translation>找不到模型文件 %1。</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2.</source>
        <translation>无法读取 %1：%2。</translation>
    </message>
    <message>
        <source>The models folder %1 cannot be written to: %2.</source>
        <translation>无法写入模型文件夹 %1：%2。</translation>
    </message>
    <message>
        <source>llama.cpp cannot make %1 from this model: %2</source>
        <translation>llama.cpp 无法由此模型生成 %1：%2</translation>
    </message>
    <message>
        <source>The new file did not pass the check: %1</source>
        <translation>新文件未通过检查：%1</translation>
    </message>
    <message>
        <source>its type is %1 instead of %2</source>
        <translation>其类型为 %1，而不是 %2</translation>
    </message>
    <message>
        <source>it has %1 tensors instead of %2</source>
        <translation>它有 %1 个张量，而不是 %2 个</translation>
    </message>
    <message>
        <source>it is %1, not smaller than the original&apos;s %2</source>
        <translation>大小为 %1，并不比原文件的 %2 更小</translation>
    </message>
    <message>
        <source>The new file was not kept: %1.</source>
        <translation>新文件未保留：%1。</translation>
    </message>
    <message>
        <source>%1 would come out at %2 as %3: not smaller than the %4 it has now.</source>
        <translation>%1 量化为 %3 后约为 %2，并不比现在的 %4 更小。</translation>
    </message>
    <message>
        <source>%1 of its %2 tensors have rows llama.cpp cannot store in this type (their width is not a multiple of 256), so they fall back to a larger one.</source>
        <translation>它的 %2 个张量中有 %1 个的行宽不是 256 的倍数，llama.cpp 无法以此类型存储，只能改用更大的类型。</translation>
    </message>
    <message>
        <source>Not enough disk space in %1: the new file needs about %2 and %3 is free.</source>
        <translation>%1 所在磁盘空间不足：新文件约需 %2，当前可用 %3。</translation>
    </message>
    <message>
        <source>The disk holding %1 is full; nothing was kept.</source>
        <translation>%1 所在的磁盘已满，未保留任何文件。</translation>
    </message>
    <message>
        <source>llama.cpp could not make %1: %2</source>
        <translation>llama.cpp 未能生成 %1：%2</translation>
    </message>
</context>
<context>
    <name>QuantizeDialog</name>
    <message>
        <source>Make %1 smaller</source>
        <translation>缩小 %1</translation>
    </message>
    <message>
        <source>A smaller quantization of %1 needs less memory and usually less energy per reply, and answers somewhat worse. It is written as a new model; the original stays as it is.</source>
        <translation>%1 的更小量化版本占用内存更少，每次回复的能耗通常也更低，但回答质量会有所下降。它会作为新模型保存，原模型保持不变。</translation>
    </message>
    <message>
        <source>Quantization types</source>
        <translation>量化类型</translation>
    </message>
    <message>
        <source>Working out the size of each type…</source>
        <translation>正在计算各类型的大小…</translation>
    </message>
    <message>
        <source>Make smaller</source>
        <translation>开始缩小</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Not smaller for this model: %1 against %2 now (rows not a multiple of 256 wide fall back to larger types).</source>
        <translation>对此模型并不会更小：约 %1，现为 %2（行宽不是 256 倍数的张量会改用更大的类型）。</translation>
    </message>
    <message>
        <source>%1 · about %2 (%3% smaller)</source>
        <translation>%1 · 约 %2（缩小 %3%）</translation>
    </message>
    <message>
        <source>%1 · about %2 (not smaller)</source>
        <translation>%1 · 约 %2（不会更小）</translation>
    </message>
    <message>
        <source>%1 is %2, %3 on disk. Sizes measured by llama.cpp.</source>
        <translation>%1 为 %2，占用磁盘 %3。各类型大小由 llama.cpp 实测。</translation>
    </message>
    <message>
        <source>No type would make this model smaller.</source>
        <translation>没有哪种类型能让此模型变得更小。</translation>
    </message>
    <message>
        <source>Starting llama.cpp&apos;s quantizer…</source>
        <translation>正在启动 llama.cpp 量化工具…</translation>
    </message>
    <message>
        <source>Quantizing: tensor %1 of %2</source>
        <translation>正在量化：第 %1 个张量，共 %2 个</translation>
    </message>
    <message>
        <source>Checking the new file…</source>
        <translation>正在检查新文件…</translation>
    </message>
    <message>
        <source>Working out the size…</source>
        <translation>正在计算大小…</translation>
    </message>
    <message>
        <source>Cancelled; nothing was written.</source>
        <translation>已取消，未写入任何文件。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>Recovery</name>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n 个对话</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n 条消息</numerusform>
        </translation>
    </message>
    <message>
        <source>The history database was damaged. It was set aside, unchanged, as %1; %2 with %3 could be read from it and are in a new database.</source>
        <translation>历史数据库已损坏。它已原样另存为 %1；从中读出了 %2（共 %3），已放入新的数据库。</translation>
    </message>
    <message>
        <source>The history database %1 is damaged and could not be set aside: %2.</source>
        <translation>历史数据库 %1 已损坏，且无法另存：%2。</translation>
    </message>
</context>
<context>
    <name>RemoteEngine</name>
    <message>
        <source>The server at %1 has a certificate that could not be verified: %2</source>
        <translation>无法验证 %1 上服务器的证书：%2</translation>
    </message>
    <message>
        <source>The server at %1 cannot be reached (%2). Is it running, and is the address right?</source>
        <translation>无法连接 %1 上的服务器（%2）。服务器是否在运行？地址是否正确？</translation>
    </message>
    <message>
        <source>The connection to %1 failed: %2</source>
        <translation>与 %1 的连接失败：%2</translation>
    </message>
    <message>
        <source>The server at %1 sent nothing for %2 s, so the request was ended.</source>
        <translation>%1 上的服务器 %2 秒没有任何响应，请求已结束。</translation>
    </message>
    <message>
        <source>The server at %1 refused the API key (HTTP %2). Check the key this engine uses.</source>
        <translation>%1 上的服务器拒绝了 API 密钥（HTTP %2）。请检查此引擎使用的密钥。</translation>
    </message>
    <message>
        <source>The server at %1 has no model named %2 (HTTP 404).</source>
        <translation>%1 上的服务器没有名为 %2 的模型（HTTP 404）。</translation>
    </message>
    <message>
        <source>The server at %1 has no such address (HTTP 404): is the URL&apos;s path right (usually /v1)?</source>
        <translation>%1 上的服务器没有这个地址（HTTP 404）：URL 的路径是否正确（通常为 /v1）？</translation>
    </message>
    <message>
        <source>The server at %1 answered with an error (HTTP %2): %3</source>
        <translation>%1 上的服务器返回了错误（HTTP %2）：%3</translation>
    </message>
    <message>
        <source>The server at %1 sent more than the app accepts.</source>
        <translation>%1 上的服务器发送的数据超出了本应用接受的上限。</translation>
    </message>
    <message>
        <source>The server at %1 did not answer like an OpenAI-compatible server.</source>
        <translation>%1 上的服务器的应答不符合 OpenAI 兼容接口。</translation>
    </message>
    <message>
        <source>The server at %1 has no model named %2. It serves: %3</source>
        <translation>%1 上的服务器没有名为 %2 的模型。它提供的模型：%3</translation>
    </message>
    <message>
        <source>remote (%1)</source>
        <translation>远程（%1）</translation>
    </message>
    <message>
        <source>The server at %1 stopped with an error: %2</source>
        <translation>%1 上的服务器因错误而中止：%2</translation>
    </message>
    <message>
        <source>The connection to %1 was lost mid-reply.</source>
        <translation>回复途中与 %1 的连接断开了。</translation>
    </message>
    <message>
        <source>The server at %1 ended the reply before it began. A prompt longer than the server&apos;s context does this: this app plans for %2 tokens; if the server holds fewer, give its context length (desktop-llm engines add %3 --url URL --context-length N, or Settings → Engines).</source>
        <translation>%1 上的服务器在回复开始前就结束了。提示词超出服务器的上下文长度时会这样：本应用按 %2 个 token 规划；如果服务器容纳的更少，请填写它的上下文长度（desktop-llm engines add %3 --url URL --context-length N，或“设置 → 引擎”）。</translation>
    </message>
    <message>
        <source>The connection to %1 was lost mid-reply (%2).</source>
        <translation>回复途中与 %1 的连接断开了（%2）。</translation>
    </message>
    <message>
        <source>The server sent an event larger than the app accepts.</source>
        <translation>服务器发送的单条事件超出了本应用接受的上限。</translation>
    </message>
</context>
<context>
    <name>RemoteEngines</name>
    <message>
        <source>not a JSON object</source>
        <translation>不是 JSON 对象</translation>
    </message>
    <message>
        <source>%1 cannot name an engine: use up to 40 letters, digits, dots, dashes or underscores (not &apos;local&apos;).</source>
        <translation>%1 不能用作引擎名称：请使用最多 40 个字母、数字、点、连字符或下划线（不能是“local”）。</translation>
    </message>
    <message>
        <source>%1 is not a server address: give it as http://HOST:PORT/v1 or https://HOST/v1.</source>
        <translation>%1 不是服务器地址：请写成 http://HOST:PORT/v1 或 https://HOST/v1。</translation>
    </message>
    <message>
        <source>%1 is not a server address: leave out user names, queries and fragments (the key goes in the keyring or an environment variable).</source>
        <translation>%1 不是服务器地址：请去掉用户名、查询参数和片段（密钥应放在系统密钥环或环境变量中）。</translation>
    </message>
    <message>
        <source>%1 is not an environment variable&apos;s name.</source>
        <translation>%1 不是有效的环境变量名。</translation>
    </message>
    <message>
        <source>The server&apos;s power draw</source>
        <translation>服务器的功耗</translation>
    </message>
    <message>
        <source>The server&apos;s power draw must be more than 0 W.</source>
        <translation>服务器的功耗必须大于 0 W。</translation>
    </message>
    <message>
        <source>The context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <source>The context length must be at least 64 tokens.</source>
        <translation>上下文长度至少为 64 个 token。</translation>
    </message>
    <message>
        <source>no keyring service runs here</source>
        <translation>本机没有运行密钥环服务</translation>
    </message>
    <message>
        <source>No keyring is available to keep the API key (%1). Keep it in an environment variable instead and give its name (desktop-llm engines add NAME --url URL --api-key-env VAR).</source>
        <translation>没有可用的系统密钥环来保存 API 密钥（%1）。请改为把密钥放在环境变量中，并给出变量名（desktop-llm engines add NAME --url URL --api-key-env VAR）。</translation>
    </message>
    <message>
        <source>The engine %1 in %2 is left out: %3</source>
        <translation>%2 中的引擎 %1 已被略过：%3</translation>
    </message>
    <message>
        <source>The list of remote engines could not be read (%1); it was kept as %2.</source>
        <translation>无法读取远程引擎列表（%1）；原文件已保留为 %2。</translation>
    </message>
    <message>
        <source>There is no engine named %1. Add it with: desktop-llm engines add %1 --url URL</source>
        <translation>没有名为 %1 的引擎。添加命令：desktop-llm engines add %1 --url URL</translation>
    </message>
    <message>
        <source>Give the API key either in the keyring or in an environment variable, not both.</source>
        <translation>API 密钥请只放在系统密钥环或环境变量其中之一，不要两者都用。</translation>
    </message>
    <message>
        <source>The environment variable %1, which holds the API key of %2, is not set.</source>
        <translation>存放 %2 的 API 密钥的环境变量 %1 未设置。</translation>
    </message>
    <message>
        <source>The keyring holds no API key for %1. Add the engine again with its key.</source>
        <translation>系统密钥环中没有 %1 的 API 密钥。请带上密钥重新添加该引擎。</translation>
    </message>
</context>
<context>
    <name>RemoteModels</name>
    <message>
        <source>%1 (%2)</source>
        <comment>engine name (host:port)</comment>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>The test was cancelled.</source>
        <translation>测试已取消。</translation>
    </message>
</context>
<context>
    <name>RemoteView</name>
    <message>
        <source>Models served by the remote engines you added in Settings → Engines. They run on those machines: pick one in any model list to use it.</source>
        <translation>你在“设置 → 引擎”中添加的远程引擎所提供的模型。它们在那些机器上运行：在任意模型列表中选择即可使用。</translation>
    </message>
    <message>
        <source>Engine and model</source>
        <translation>引擎与模型</translation>
    </message>
    <message>
        <source>Remote engines and their models</source>
        <translation>远程引擎及其模型</translation>
    </message>
    <message>
        <source>No remote engine yet. Add one in Settings → Engines (a llama-server, vLLM, Ollama or LM Studio on another machine).</source>
        <translation>还没有远程引擎。请在“设置 → 引擎”中添加（另一台机器上的 llama-server、vLLM、Ollama 或 LM Studio）。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Ask every engine for its models again</source>
        <translation>重新向每个引擎获取模型列表</translation>
    </message>
    <message>
        <source>Engines…</source>
        <translation>引擎…</translation>
    </message>
    <message>
        <source>Add, test or remove remote engines</source>
        <translation>添加、测试或移除远程引擎</translation>
    </message>
    <message>
        <source>Remote engine %1 at %2</source>
        <translation>远程引擎 %1，地址 %2</translation>
    </message>
    <message>
        <source>Listing its models…</source>
        <translation>正在获取模型列表…</translation>
    </message>
    <message>
        <source>Not reachable</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>It serves no model.</source>
        <translation>未提供任何模型。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Used as %1</source>
        <translation>以 %1 使用</translation>
    </message>
</context>
<context>
    <name>RunHistory</name>
    <message>
        <source>Today %1</source>
        <translation>今天 %1</translation>
    </message>
    <message>
        <source>dd MMM, HH:mm</source>
        <comment>QDateTime format: day, month, time</comment>
        <translation>M月d日 HH:mm</translation>
    </message>
    <message>
        <source>dd MMM yyyy</source>
        <comment>QDateTime format: day, month, year</comment>
        <translation>yyyy年M月d日</translation>
    </message>
    <message>
        <source>No runs yet.</source>
        <translation>暂无记录。</translation>
    </message>
    <message>
        <source>Delete run…</source>
        <translation>删除记录…</translation>
    </message>
</context>
<context>
    <name>Sentiment</name>
    <message>
        <source>positive</source>
        <translation>正面</translation>
    </message>
    <message>
        <source>negative</source>
        <translation>负面</translation>
    </message>
    <message>
        <source>neutral</source>
        <translation>中性</translation>
    </message>
</context>
<context>
    <name>SentimentPanel</name>
    <message>
        <source>, </source>
        <comment>between the items of a list</comment>
        <translation>，</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>a count and a sentiment label: 12 positive</comment>
        <translation>%2 %1</translation>
    </message>
    <message>
        <source>The server gave no probabilities: only its label is known, and none is made up.</source>
        <translation>服务器未提供概率：只知道标签，不会编造概率。</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>a sentiment label and its probability</comment>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>情感</translation>
    </message>
    <message>
        <source>Positive</source>
        <translation>正面</translation>
    </message>
    <message>
        <source>Negative</source>
        <translation>负面</translation>
    </message>
    <message>
        <source>Neutral</source>
        <translation>中性</translation>
    </message>
    <message>
        <source>(Too long for the model: only its start was read.)</source>
        <translation>（文本过长，模型只读取了开头部分。）</translation>
    </message>
    <message>
        <source>One text</source>
        <translation>单条文本</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批量</translation>
    </message>
    <message>
        <source>Classify one text</source>
        <translation>分析单条文本的情感</translation>
    </message>
    <message>
        <source>Classify many texts: one per line, or a CSV column</source>
        <translation>批量分析多条文本：每行一条，或取 CSV 中的一列</translation>
    </message>
    <message>
        <source>Open file…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <source>A .txt file (one text per line) or a .csv file</source>
        <translation>.txt 文件（每行一条文本）或 .csv 文件</translation>
    </message>
    <message>
        <source>Column:</source>
        <translation>列：</translation>
    </message>
    <message>
        <source>The CSV column that holds the texts</source>
        <translation>CSV 中存放文本的列</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Save the results as CSV: the input&apos;s columns, the label and the probabilities</source>
        <translation>将结果保存为 CSV：包含输入的各列、情感标签及各标签的概率</translation>
    </message>
    <message>
        <source>Text to classify</source>
        <translation>待分析文本</translation>
    </message>
    <message>
        <source>Type or paste a text to classify as positive, negative or neutral.
Ctrl+Enter classifies.</source>
        <translation>输入或粘贴一段文本，判断其情感是正面、负面还是中性。
按 Ctrl+Enter 开始分析。</translation>
    </message>
    <message>
        <source>Only the start of this text was read: it is too long.</source>
        <translation>文本过长，只读取了开头部分。</translation>
    </message>
    <message>
        <source>Texts to classify, one per line</source>
        <translation>待分析文本，每行一条</translation>
    </message>
    <message>
        <source>One text per line, or open a .txt or .csv file. Ctrl+Enter classifies them all.</source>
        <translation>每行一条文本，或打开 .txt 或 .csv 文件。按 Ctrl+Enter 全部分析。</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>%1 lines: each non-empty line is a text</source>
        <translation>%1 行：每个非空行算作一条文本</translation>
    </message>
    <message>
        <source>Open texts to classify</source>
        <translation>打开要分析的文本</translation>
    </message>
    <message>
        <source>Texts and tables (%1);;All files (*)</source>
        <translation>文本和表格 (%1);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Opened %1: one text per line.</source>
        <translation>已打开 %1：每行一条文本。</translation>
    </message>
    <message>
        <source>%1 (%2 rows)</source>
        <translation>%1（%2 行）</translation>
    </message>
    <message>
        <source>A CSV file: pick the column to classify. Clear to type lines instead.</source>
        <translation>这是 CSV 文件：请选择要分析的列。如需手动逐行输入，请先清空。</translation>
    </message>
    <message>
        <source>Opened %1: column “%2” looks like the texts.</source>
        <translation>已打开 %1：“%2”列看起来是文本。</translation>
    </message>
    <message>
        <source>There is no text to classify. Type or paste one.</source>
        <translation>没有可分析的文本。请输入或粘贴一段文本。</translation>
    </message>
    <message>
        <source>There is nothing to classify. Put one text per line, or open a file.</source>
        <translation>没有可分析的内容。请每行输入一条文本，或打开文件。</translation>
    </message>
    <message>
        <source>Classifying %1 texts…</source>
        <translation>正在分析 %1 条文本…</translation>
    </message>
    <message>
        <source>Classified %1 texts (%2 per second).</source>
        <translation>已分析 %1 条文本（每秒 %2 条）。</translation>
    </message>
    <message>
        <source>Classified %1 texts.</source>
        <translation>已分析 %1 条文本。</translation>
    </message>
    <message>
        <source>%1 %2 of %3 texts were classified.</source>
        <translation>%1已分析 %2/%3 条文本。</translation>
    </message>
    <message>
        <source>Export the results</source>
        <translation>导出结果</translation>
    </message>
    <message>
        <source>CSV files (%1)</source>
        <translation>CSV 文件 (%1)</translation>
    </message>
    <message>
        <source>There are no results to export yet.</source>
        <translation>还没有可导出的结果。</translation>
    </message>
    <message>
        <source>Exported %1 results to %2.</source>
        <translation>已将 %1 条结果导出到 %2。</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>正在导出到 %1…</translation>
    </message>
    <message>
        <source>%1, column “%2”</source>
        <translation>%1，“%2”列</translation>
    </message>
</context>
<context>
    <name>Server</name>
    <message>
        <source>The environment variable %1 that should hold the API key is not set or empty.</source>
        <translation>应保存 API 密钥的环境变量 %1 未设置或为空。</translation>
    </message>
    <message>
        <source>Listening on %1 lets other computers on the network use your models and your computer&apos;s power. Set an API key first (server.api_key_env, or --api-key-env), or listen on 127.0.0.1.</source>
        <translation>在 %1 上监听会让网络上的其他计算机使用您的模型和这台计算机的电力。请先设置 API 密钥（server.api_key_env 或 --api-key-env），或在 127.0.0.1 上监听。</translation>
    </message>
    <message>
        <source>%1 is not an address of this computer: %2</source>
        <translation>%1 不是这台计算机的地址：%2</translation>
    </message>
    <message>
        <source>The server cannot listen on %1 port %2: %3. Another program may be using the port; choose another in Settings → Local server or with --port.</source>
        <translation>服务器无法在 %1 的端口 %2 上监听：%3。可能有其他程序正在使用该端口；请在“设置 → 本地服务器”中或用 --port 选择其他端口。</translation>
    </message>
    <message>
        <source>The server did not start: %1</source>
        <translation>服务器未能启动：%1</translation>
    </message>
</context>
<context>
    <name>Services</name>
    <message>
        <source>The app cannot use the folder %1: %2.</source>
        <translation>应用无法使用文件夹 %1：%2。</translation>
    </message>
    <message>
        <source>The app cannot write its log file %1: %2.</source>
        <translation>应用无法写入日志文件 %1：%2。</translation>
    </message>
    <message>
        <source>The app cannot open its database %1: SQLite cannot create or open the file there.</source>
        <translation>应用无法打开数据库 %1：SQLite 无法在该位置创建或打开文件。</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>%1 must be true or false</source>
        <translation>%1 必须为 true 或 false</translation>
    </message>
    <message>
        <source>%1 must be a whole number</source>
        <translation>%1 必须是整数</translation>
    </message>
    <message>
        <source>%1 must be at least %2</source>
        <translation>%1 不能小于 %2</translation>
    </message>
    <message>
        <source>%1 must be at most %2</source>
        <translation>%1 不能大于 %2</translation>
    </message>
    <message>
        <source>%1 must be a number</source>
        <translation>%1 必须是数字</translation>
    </message>
    <message>
        <source>%1 must be a finite number</source>
        <translation>%1 必须是有限的数值</translation>
    </message>
    <message>
        <source>%1 must be a web address that starts with https:// or http://</source>
        <translation>%1 必须是以 https:// 或 http:// 开头的网址</translation>
    </message>
    <message>
        <source>From the system&apos;s locale</source>
        <translation>跟随系统区域设置</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>On</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>CPU threads used for generation.</source>
        <translation>生成时使用的 CPU 线程数。</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <source>Tokens the model can see at once: the conversation, the prompt and the reply.</source>
        <translation>模型一次能看到的 token 数：包括对话、提示词和回复。</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <source>Layers offloaded to the GPU (0 = CPU only; only offered when the build supports it).</source>
        <translation>卸载到 GPU 的层数（0 表示只用 CPU；仅在当前构建支持时可用）。</translation>
    </message>
    <message>
        <source>GPU layers</source>
        <translation>GPU 层数</translation>
    </message>
    <message>
        <source>Minutes without a request after which the model is unloaded: its inference process ends, which frees its memory and lets the CPU and GPU rest. The next request loads it again. 0 keeps it loaded.</source>
        <translation>多少分钟没有请求后卸载模型：推理进程随之结束，释放其占用的内存，让 CPU 和 GPU 得以休眠。下一个请求会重新加载模型。设为 0 则始终保持加载。</translation>
    </message>
    <message>
        <source>Unload when idle (minutes)</source>
        <translation>空闲多久后卸载（分钟）</translation>
    </message>
    <message>
        <source>Randomness of sampling; 0 is deterministic.</source>
        <translation>采样的随机程度；0 表示每次结果相同。</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Nucleus sampling: keep the most likely tokens whose probabilities add up to this.</source>
        <translation>核采样：只保留概率最高、累计概率达到此值的 token。</translation>
    </message>
    <message>
        <source>Top P</source>
        <translation>Top P</translation>
    </message>
    <message>
        <source>Longest reply, in tokens.</source>
        <translation>回复的最大长度（token 数）。</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>最大 token 数</translation>
    </message>
    <message>
        <source>Instructions given to the model at the start of every new chat.</source>
        <translation>每个新对话开始时发给模型的指令。</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Model used for new chats. (first installed): the first model in the list of installed models.</source>
        <translation>新对话使用的模型。选择“（第一个已安装的模型）”时，使用已安装模型列表中的第一个。</translation>
    </message>
    <message>
        <source>Model for translations. (the chat model): the one new chats use.</source>
        <translation>翻译使用的模型。选择“（与对话相同）”时，使用新对话所用的模型。</translation>
    </message>
    <message>
        <source>Model for summaries. (the chat model): the one new chats use.</source>
        <translation>摘要使用的模型。选择“（与对话相同）”时，使用新对话所用的模型。</translation>
    </message>
    <message>
        <source>Model for sentiment. (the chat model): the one new chats use.</source>
        <translation>情感分析使用的模型。选择“（与对话相同）”时，使用新对话所用的模型。</translation>
    </message>
    <message>
        <source>Country whose electricity grid powers this computer, for the carbon of each reply; its figure is shown next to its name. From the system&apos;s locale: the country of the system&apos;s regional settings, else the world average. Never looked up on the network.</source>
        <translation>为这台电脑供电的电网所在国家或地区，用于计算每条回复的碳排放；名称旁显示该地的碳强度。“跟随系统区域设置”：按系统的区域设置确定国家或地区，无法确定时使用全球平均值。不会联网查询。</translation>
    </message>
    <message>
        <source>Load models with the thread count that measured the fewest joules per token on this computer (Calibrate in the energy dashboard, or desktop-llm energy calibrate); a model&apos;s own thread setting still wins. On battery: only while the computer runs on its battery.</source>
        <translation>加载模型时使用在本机实测每个 token 耗能（焦耳）最少的线程数（在能耗面板中校准，或在命令行中校准）；模型自己的线程设置仍然优先。“使用电池时”：仅在电脑使用电池供电时生效。</translation>
    </message>
    <message>
        <source>Eco mode</source>
        <translation>节能模式</translation>
    </message>
    <message>
        <source>Start the local server when the window opens, so editors, scripts and agents can use your models through the OpenAI API.</source>
        <translation>窗口打开时启动本地服务器，让编辑器、脚本和智能体通过 OpenAI API 使用您的模型。</translation>
    </message>
    <message>
        <source>Start with the window</source>
        <translation>随窗口启动</translation>
    </message>
    <message>
        <source>The address the server listens on. 127.0.0.1 is this computer only; any other address lets other computers on the network use your models, so it needs an API key.</source>
        <translation>服务器监听的地址。127.0.0.1 仅限这台计算机；其他任何地址都会让网络上的其他计算机使用您的模型，因此需要 API 密钥。</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>The port the server listens on.</source>
        <translation>服务器监听的端口。</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>API key variable</source>
        <translation>API 密钥变量</translation>
    </message>
    <message>
        <source>Web pages allowed to call the server from a browser, separated by spaces (such as http://localhost:3000); empty allows none.</source>
        <translation>允许在浏览器中调用服务器的网页来源，以空格分隔（例如 http://localhost:3000）；留空则不允许任何网页。</translation>
    </message>
    <message>
        <source>Allowed web origins</source>
        <translation>允许的网页来源</translation>
    </message>
    <message>
        <source>API requests that may wait for the model at once; more are refused with &apos;too many requests&apos; until one ends.</source>
        <translation>可同时等待模型的 API 请求数；超出的请求会以“请求过多”被拒绝，直到有请求结束。</translation>
    </message>
    <message>
        <source>Waiting requests</source>
        <translation>等待中的请求</translation>
    </message>
    <message>
        <source>Some values in the settings file were not used, and their defaults apply: %1.</source>
        <translation>设置文件中的部分值未被采用，已改用默认值：%1。</translation>
    </message>
    <message>
        <source>Default model</source>
        <translation>默认模型</translation>
    </message>
    <message>
        <source>On battery</source>
        <translation>使用电池时</translation>
    </message>
    <message>
        <source>Always</source>
        <translation>始终</translation>
    </message>
    <message>
        <source>%1 must be off, on_battery or always</source>
        <translation>%1 必须是 off、on_battery 或 always</translation>
    </message>
    <message>
        <source>%1 must be an address such as 127.0.0.1, not a URL</source>
        <translation>%1 必须是 127.0.0.1 这样的地址，而不是网址</translation>
    </message>
    <message>
        <source>%1 must list web origins such as http://localhost:3000, or *</source>
        <translation>%1 必须列出 http://localhost:3000 这样的网页来源，或 *</translation>
    </message>
    <message>
        <source>Prompt-lookup decoding for translations and summaries: up to this many tokens guessed from the text at each step and checked at once; 0 is off.</source>
        <translation>翻译和摘要使用提示查找解码：每一步从原文中猜出至多这么多个 token，一次性校验；0 表示关闭。</translation>
    </message>
    <message>
        <source>Prompt lookup (tokens)</source>
        <translation>提示查找（token 数）</translation>
    </message>
    <message>
        <source>Instructions given to the model for every translation.</source>
        <translation>每次翻译时发给模型的指令。</translation>
    </message>
    <message>
        <source>Randomness of translations; low is faithful.</source>
        <translation>翻译的随机程度；越低越忠实原文。</translation>
    </message>
    <message>
        <source>Instructions given to the model for every summary.</source>
        <translation>每次生成摘要时发给模型的指令。</translation>
    </message>
    <message>
        <source>Randomness of summaries.</source>
        <translation>摘要的随机程度。</translation>
    </message>
    <message>
        <source>Longest summary (and longest partial summary), in tokens.</source>
        <translation>摘要（以及分段摘要）的最大长度（token 数）。</translation>
    </message>
    <message>
        <source>Tokens each part of a long text shares with the part before it, so no sentence loses its context.</source>
        <translation>长文本分段时，每段与前一段重叠的 token 数，避免句子失去上下文。</translation>
    </message>
    <message>
        <source>Chunk overlap</source>
        <translation>分段重叠</translation>
    </message>
    <message>
        <source>Instructions given to the model before the examples and the text.</source>
        <translation>在示例和文本之前发给模型的指令。</translation>
    </message>
    <message>
        <source>Language of the window. The system&apos;s follows its locale (LANG=zh_CN.UTF-8 gives Chinese). A change applies the next time the app starts.</source>
        <translation>界面语言。“跟随系统”按系统区域设置选择（LANG=zh_CN.UTF-8 即为中文）。更改在下次启动应用时生效。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Light or dark window. The system&apos;s follows the desktop, also when it changes.</source>
        <translation>浅色或深色界面。“跟随系统”与桌面保持一致，桌面切换时也会随之切换。</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Start the CSV files the app writes with a byte-order mark, so that Excel and WPS open Chinese text correctly. Automatic: on when the window is in Chinese.</source>
        <translation>在应用导出的 CSV 文件开头写入字节顺序标记（BOM），让 Excel 和 WPS 正确显示中文。“自动”：界面为中文时开启。</translation>
    </message>
    <message>
        <source>CSV byte-order mark</source>
        <translation>CSV 字节顺序标记</translation>
    </message>
    <message>
        <source>Show the welcome page (what the starter model can do, models that fit this computer) when the app starts with no conversation yet.</source>
        <translation>还没有任何对话时，启动应用显示欢迎页（介绍入门模型能做什么，以及适合这台电脑的模型）。</translation>
    </message>
    <message>
        <source>Show welcome page</source>
        <translation>显示欢迎页</translation>
    </message>
    <message>
        <source>Address of a Hugging Face Hub mirror for search and downloads, such as https://hf-mirror.com. Empty: the official Hub. The HF_ENDPOINT environment variable overrides it.</source>
        <translation>用于搜索和下载的 Hugging Face Hub 镜像地址，例如 https://hf-mirror.com。留空：使用官方 Hub。环境变量 HF_ENDPOINT 优先于此设置。</translation>
    </message>
    <message>
        <source>Hub mirror</source>
        <translation>Hub 镜像</translation>
    </message>
    <message>
        <source>Send your Hugging Face token to the mirror too. Off: the token goes only to the official Hub, and a mirror sees anonymous requests.</source>
        <translation>也把你的 Hugging Face 令牌发给镜像。关闭时令牌只发给官方 Hub，镜像只收到匿名请求。</translation>
    </message>
    <message>
        <source>Send token to mirror</source>
        <translation>向镜像发送令牌</translation>
    </message>
    <message>
        <source>Grid country</source>
        <translation>电网所在地</translation>
    </message>
    <message>
        <source>Your own grid carbon intensity in g CO2e per kWh (for example from your electricity supplier); 0 uses the country&apos;s figure.</source>
        <translation>自定义电网碳强度，单位 g CO2e/kWh（例如来自你的供电公司）；0 表示使用所选国家或地区的数值。</translation>
    </message>
    <message>
        <source>Carbon intensity</source>
        <translation>碳强度</translation>
    </message>
    <message>
        <source>Active power of one CPU core in watts, used only when energy cannot be measured and is estimated from CPU time; 0 derives it from the CPU&apos;s rated power.</source>
        <translation>单个 CPU 核心的工作功率（瓦），仅在无法实测能耗、需按 CPU 时间估算时使用；0 表示根据 CPU 的额定功率推算。</translation>
    </message>
    <message>
        <source>CPU watts per core</source>
        <translation>每核功率（W）</translation>
    </message>
    <message>
        <source>The environment variable that holds the API key clients must send (empty: no key). Without a key, any program that can reach the address can use the server.</source>
        <translation>保存客户端必须发送的 API 密钥的环境变量（留空：不使用密钥）。没有密钥时，任何能访问该地址的程序都可以使用服务器。</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Replies</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Translation</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>Summaries</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Sentiment</source>
        <translation>情感分析</translation>
    </message>
    <message>
        <source>Local server</source>
        <translation>本地服务器</translation>
    </message>
    <message>
        <source>OpenAI-compatible API</source>
        <translation>OpenAI 兼容 API</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Hugging Face Hub</source>
        <translation>Hugging Face Hub</translation>
    </message>
    <message>
        <source>Energy</source>
        <translation>能耗</translation>
    </message>
    <message>
        <source>Energy and carbon</source>
        <translation>能耗与碳排放</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Settings pages</source>
        <translation>设置页面</translation>
    </message>
    <message>
        <source>Restore defaults</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <source>Put every setting on this page back to its default. Nothing is saved until you press Save.</source>
        <translation>将本页的所有设置恢复为默认值。点击“保存”后才会生效。</translation>
    </message>
    <message>
        <source>Restore the defaults of %1</source>
        <translation>恢复“%1”页的默认设置</translation>
    </message>
    <message>
        <source>Engines</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Has a value to look at</source>
        <translation>有需要检查的设置</translation>
    </message>
    <message>
        <source>%1 is not installed: new chats use the first installed model. Pick one from the list, or install it again.</source>
        <translation>%1 未安装：新对话将使用第一个已安装的模型。请从列表中另选一个模型，或重新安装它。</translation>
    </message>
    <message>
        <source>%1 is not installed: the chat model is used instead. Pick one from the list, or install it again.</source>
        <translation>%1 未安装：将改用对话所用的模型。请从列表中另选一个模型，或重新安装它。</translation>
    </message>
    <message>
        <source>Known once a model has been loaded: GPU offload depends on the llama.cpp build.</source>
        <translation>加载模型后才能确定：能否使用 GPU 取决于 llama.cpp 的构建方式。</translation>
    </message>
    <message>
        <source>a GPU backend</source>
        <translation>GPU 后端</translation>
    </message>
    <message>
        <source>This build (llama.cpp with %1) can offload layers to the GPU.</source>
        <translation>当前构建（llama.cpp，带 %1）可以把模型层卸载到 GPU。</translation>
    </message>
    <message>
        <source>This build runs on the CPU only. For a GPU, build llama.cpp for it: make run GPU=cuda (or vulkan, metal).</source>
        <translation>当前构建只能使用 CPU。如需使用 GPU，请为其构建 llama.cpp：make run GPU=cuda（或 vulkan、metal）。</translation>
    </message>
    <message>
        <source>Where your data lives</source>
        <translation>数据存放位置</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Settings file</source>
        <translation>设置文件</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Open %1 in the file manager</source>
        <translation>在文件管理器中打开 %1</translation>
    </message>
    <message>
        <source>%1: %2.</source>
        <translation>%1：%2。</translation>
    </message>
    <message>
        <source>The settings could not be saved to %1: %2.</source>
        <translation>设置无法保存到 %1：%2。</translation>
    </message>
    <message>
        <source>The new language is used the next time the app starts. The window that is open keeps its words: its menus, lists and your conversations were laid out in the old one.</source>
        <translation>新语言将在下次启动应用时使用。当前打开的窗口保持原样：它的菜单、列表和对话都是按原来的语言排布的。</translation>
    </message>
    <message>
        <source>(first installed: %1)</source>
        <translation>（第一个已安装的模型：%1）</translation>
    </message>
    <message>
        <source>(first installed)</source>
        <translation>（第一个已安装的模型）</translation>
    </message>
    <message>
        <source>(the chat model: %1)</source>
        <translation>（与对话相同：%1）</translation>
    </message>
    <message>
        <source>(the chat model)</source>
        <translation>（与对话相同）</translation>
    </message>
    <message>
        <source>%1 — not installed</source>
        <translation>%1（未安装）</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>The reply failed</source>
        <translation>回复失败</translation>
    </message>
    <message>
        <source>The run failed</source>
        <translation>运行失败</translation>
    </message>
    <message>
        <source>The %1 failed</source>
        <translation>%1 失败</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>设备：%1</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 token/s</translation>
    </message>
    <message>
        <source>First token: %1 s</source>
        <translation>首个 token：%1 s</translation>
    </message>
</context>
<context>
    <name>Store</name>
    <message>
        <source>The folder %1 is read-only and holds no history database yet: there is nowhere to keep conversations. Choose a folder you can write to (DESKTOP_LLM_HOME), or make this one writable.</source>
        <translation>文件夹 %1 是只读的，其中还没有历史数据库：对话无处保存。请选择一个可写入的文件夹（DESKTOP_LLM_HOME），或将此文件夹设为可写。</translation>
    </message>
    <message>
        <source>Another process of this app has been updating the database for a minute. Wait for it to finish, then try again.</source>
        <translation>本应用的另一个进程已经更新数据库一分钟了。请等它完成后再试。</translation>
    </message>
    <message>
        <source>The history database %1 is read-only: your conversations are shown, but changes cannot be saved (new messages, renames and deletions are refused).</source>
        <translation>历史数据库 %1 是只读的：可以查看对话，但无法保存更改（新消息、重命名和删除都会被拒绝）。</translation>
    </message>
    <message>
        <source>The history database %1 is read-only and was written by another version of the app, so it cannot be updated to be read here.</source>
        <translation>历史数据库 %1 是只读的，且由其他版本的应用写入，因此无法升级以供本版本读取。</translation>
    </message>
    <message>
        <source>This change cannot be saved: the history database %1 is read-only.</source>
        <translation>无法保存此更改：历史数据库 %1 是只读的。</translation>
    </message>
    <message>
        <source>No conversation with id %1.</source>
        <translation>找不到 ID 为 %1 的对话。</translation>
    </message>
    <message>
        <source>Unknown export format %1: use md or json.</source>
        <translation>未知的导出格式 %1：请使用 md 或 json。</translation>
    </message>
    <message>
        <source>No evaluation run with id %1.</source>
        <translation>没有 ID 为 %1 的评测运行。</translation>
    </message>
    <message>
        <source>No message with id %1.</source>
        <translation>找不到 ID 为 %1 的消息。</translation>
    </message>
    <message>
        <source>The history database %1 is damaged, and read-only, so it cannot be set aside and repaired. Copy it to a folder you can write to, or make this one writable, and start again.</source>
        <translation>历史数据库 %1 已损坏且为只读，因此无法移至一旁并修复。请将其复制到可写入的文件夹，或将此文件夹设为可写，然后重新启动。</translation>
    </message>
</context>
<context>
    <name>SummarizePanel</name>
    <message>
        <source>One sentence</source>
        <translation>一句话</translation>
    </message>
    <message>
        <source>Short paragraph</source>
        <translation>短段落</translation>
    </message>
    <message>
        <source>Bullet points</source>
        <translation>要点列表</translation>
    </message>
    <message numerus="yes">
        <source>%Ln character(s)</source>
        <translation>
            <numerusform>%Ln 个字</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln word(s)</source>
        <translation>
            <numerusform>%Ln 个词</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message numerus="yes">
        <source>%Ln part(s)</source>
        <translation>
            <numerusform>%Ln 段</numerusform>
        </translation>
    </message>
    <message>
        <source>Stopped after %1 of %2; the text had %3.</source>
        <translation>处理完 %1 段后停止（共 %2）；全文共 %3。</translation>
    </message>
    <message>
        <source>one part</source>
        <translation>1 段</translation>
    </message>
    <message>
        <source>Covered %1 in %2.</source>
        <translation>已处理 %1，共 %2。</translation>
    </message>
    <message numerus="yes">
        <source>%Ln combining round(s)</source>
        <translation>
            <numerusform>%Ln 轮</numerusform>
        </translation>
    </message>
    <message>
        <source>Covered %1 in %2 and %3.</source>
        <translation>已处理 %1，共 %2，合并 %3。</translation>
    </message>
    <message>
        <source>Length:</source>
        <translation>长度：</translation>
    </message>
    <message>
        <source>Open file…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <source>Summarize a .txt or .md file (UTF-8, GBK, GB18030, Big5…)</source>
        <translation>为 .txt 或 .md 文件生成摘要（支持 UTF-8、GBK、GB18030、Big5 等编码）</translation>
    </message>
    <message>
        <source>Text to summarize</source>
        <translation>待摘要文本</translation>
    </message>
    <message>
        <source>Paste the text to summarize, or open a .txt or .md file. Any length works: a long text is summarized part by part.
Ctrl+Enter summarizes.</source>
        <translation>粘贴要生成摘要的文本，或打开 .txt 或 .md 文件。长度不限：长文本会分段摘要。
按 Ctrl+Enter 生成摘要。</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>The summary appears here.</source>
        <translation>摘要将显示在这里。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the summary to the clipboard</source>
        <translation>将摘要复制到剪贴板</translation>
    </message>
    <message>
        <source>%1 characters, %2 lines</source>
        <translation>%1 个字符，%2 行</translation>
    </message>
    <message>
        <source>Open a text to summarize</source>
        <translation>打开要生成摘要的文本</translation>
    </message>
    <message>
        <source>Opened %1: read as %2.</source>
        <translation>已打开 %1（按 %2 编码读取）。</translation>
    </message>
    <message>
        <source>Opened %1.</source>
        <translation>已打开 %1。</translation>
    </message>
    <message>
        <source>There is no text to summarize. Paste some, or open a file.</source>
        <translation>没有可生成摘要的文本。请粘贴文本，或打开文件。</translation>
    </message>
    <message>
        <source>A long text: summarizing it in %1 parts, then combining.</source>
        <translation>文本较长：将分 %1 段分别摘要，再合并。</translation>
    </message>
    <message>
        <source>Summary copied to the clipboard.</source>
        <translation>摘要已复制到剪贴板。</translation>
    </message>
</context>
<context>
    <name>TaskOutcome</name>
    <message>
        <source>The model returned no summary.</source>
        <translation>模型没有返回摘要。</translation>
    </message>
    <message>
        <source>The model returned no translation.</source>
        <translation>模型没有返回译文。</translation>
    </message>
    <message>
        <source>Not translated: the model gave back the text unchanged.</source>
        <translation>未翻译：模型原样返回了原文。</translation>
    </message>
    <message>
        <source>Not translated: the result is still in %1, not in %2.</source>
        <translation>未翻译：结果仍是 %1，而不是 %2。</translation>
    </message>
    <message>
        <source>The result is in %1, not in %2.</source>
        <translation>结果是 %1，而不是 %2。</translation>
    </message>
    <message>
        <source>Most of the result is not in %1.</source>
        <translation>结果大部分不是 %1。</translation>
    </message>
    <message>
        <source>Not a summary: the model copied the text instead of summarizing it.</source>
        <translation>这不是摘要：模型照抄了原文，没有加以概括。</translation>
    </message>
    <message numerus="yes">
        <source>Not a summary: it has %Ln word(s), the text %1.</source>
        <translation>
            <numerusform>这不是摘要：它有 %Ln 个字词，原文只有 %1 个。</numerusform>
        </translation>
    </message>
    <message>
        <source>Unsure: the model gave no label a clear lead (positive %1, negative %2, neutral %3).</source>
        <translation>无法确定：模型没有明显倾向任何标签（正面 %1，负面 %2，中性 %3）。</translation>
    </message>
    <message numerus="yes">
        <source>Unsure about %Ln text(s) of %1: the model gave no label a clear lead.</source>
        <translation>
            <numerusform>%1 条文本中有 %Ln 条无法确定：模型没有明显倾向任何标签。</numerusform>
        </translation>
    </message>
    <message>
        <source>A larger model does better: choose %1 in the model list.</source>
        <translation>换用更大的模型效果更好：请在模型列表中选择 %1。</translation>
    </message>
    <message>
        <source>A larger model does better: %1, from the catalog (Models ▸ Find models to download).</source>
        <translation>换用更大的模型效果更好：可从模型目录下载 %1（模型 ▸ 查找可下载的模型）。</translation>
    </message>
    <message>
        <source>A larger model may do better.</source>
        <translation>换用更大的模型也许效果更好。</translation>
    </message>
</context>
<context>
    <name>TaskPanel</name>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Stopped. The partial result is kept.</source>
        <translation>已停止，已保留部分结果。</translation>
    </message>
    <message>
        <source>Interrupted. The partial result is kept.</source>
        <translation>已中断，已保留部分结果。</translation>
    </message>
    <message>
        <source>The run failed.</source>
        <translation>运行失败。</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped before the end</source>
        <translation>中途停止</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>unfinished</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>with no result</source>
        <translation>无结果</translation>
    </message>
    <message>
        <source>Part %1 of %2</source>
        <translation>第 %1/%2 段</translation>
    </message>
    <message>
        <source>Item %1 of %2</source>
        <translation>第 %1/%2 条</translation>
    </message>
    <message>
        <source>Combining %1 of %2</source>
        <translation>合并中（%1/%2）</translation>
    </message>
    <message>
        <source>Combining</source>
        <translation>正在合并</translation>
    </message>
    <message>
        <source>Summarizing</source>
        <translation>正在生成摘要</translation>
    </message>
    <message>
        <source>run</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>runs</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <source>Past %1</source>
        <translation>%1记录</translation>
    </message>
    <message>
        <source>The model used for %1</source>
        <translation>用于%1的模型</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Empty the input and the output</source>
        <translation>清空输入和输出</translation>
    </message>
    <message>
        <source>%1 (Ctrl+Enter)</source>
        <translation>%1（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the run; what is done so far is kept (Esc)</source>
        <translation>停止运行，已完成的部分会保留（Esc）</translation>
    </message>
    <message>
        <source>Done in %1 s.</source>
        <translation>已完成，用时 %1 秒。</translation>
    </message>
    <message>
        <source>Waiting for the model…</source>
        <translation>正在等待模型…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>Stopped before it began.</source>
        <translation>尚未开始即已停止。</translation>
    </message>
    <message>
        <source>Stop the running %1 before opening another.</source>
        <translation>请先停止正在进行的%1，再打开其他记录。</translation>
    </message>
    <message>
        <source>A %1 from %2, %3.</source>
        <translation>%2 的%1（%3）。</translation>
    </message>
    <message>
        <source>A %1, %2.</source>
        <translation>%1（%2）。</translation>
    </message>
    <message>
        <source>This %1 is still running. Stop it first.</source>
        <translation>该%1仍在进行中，请先停止。</translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation>删除%1</translation>
    </message>
    <message>
        <source>Delete this %1 and its result? This cannot be undone.</source>
        <translation>要删除该%1及其结果吗？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>Use %1</source>
        <translation>使用 %1</translation>
    </message>
    <message>
        <source>Choose this larger model, then run again</source>
        <translation>选用这个更大的模型，然后重新运行</translation>
    </message>
    <message>
        <source>Find a larger model…</source>
        <translation>查找更大的模型…</translation>
    </message>
    <message>
        <source>%1, in the model catalog</source>
        <translation>%1，见模型目录</translation>
    </message>
    <message>
        <source>%1 is chosen: run again to try it.</source>
        <translation>已选用 %1：重新运行即可试用。</translation>
    </message>
    <message>
        <source>Sentiment</source>
        <translation>情感分析</translation>
    </message>
    <message>
        <source>sentiment run</source>
        <translation>情感分析</translation>
    </message>
    <message>
        <source>sentiment runs</source>
        <translation>情感分析</translation>
    </message>
    <message>
        <source>Classify</source>
        <translation>分析</translation>
    </message>
    <message>
        <source>Classifying…</source>
        <translation>正在分析…</translation>
    </message>
    <message>
        <source>Summarize</source>
        <translation>生成摘要</translation>
    </message>
    <message>
        <source>summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>summaries</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Summarizing…</source>
        <translation>正在生成摘要…</translation>
    </message>
    <message>
        <source>Translate</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>translation</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>translations</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>Translating…</source>
        <translation>正在翻译…</translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <source>A %1 is running (%2). Wait for it, or stop it there (Esc), then start again.</source>
        <translation>“%2”页面正在进行%1。请等待其完成，或到该页面停止（Esc）后再开始。</translation>
    </message>
    <message>
        <source>Waits for the %1 to finish</source>
        <translation>等待%1完成</translation>
    </message>
    <message>
        <source>Waiting for the model…</source>
        <translation>正在等待模型…</translation>
    </message>
    <message>
        <source>Working on a %1…</source>
        <translation>正在处理%1任务…</translation>
    </message>
    <message>
        <source>Working on a %1 on %2…</source>
        <translation>正在 %2 上处理%1任务…</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <source>The CSV file has no header row naming its columns.</source>
        <translation>CSV 文件缺少列名标题行。</translation>
    </message>
    <message>
        <source>The CSV file has no column %1. Columns: %2.</source>
        <translation>CSV 文件中没有 %1 列。现有的列：%2。</translation>
    </message>
    <message>
        <source>Conversation %1 is not a sentiment run; only sentiment results can be exported as CSV.</source>
        <translation>对话 %1 不是情感分析任务；只有情感分析结果可以导出为 CSV。</translation>
    </message>
    <message>
        <source>part %1 of %2</source>
        <translation>第 %1/%2 部分</translation>
    </message>
    <message>
        <source>Token counts estimated from characters: the server has no tokenizer endpoint.</source>
        <translation>token 数按字符估算：该服务器没有分词接口。</translation>
    </message>
    <message>
        <source>There is no text to translate.</source>
        <translation>没有要翻译的文本。</translation>
    </message>
    <message>
        <source>The text is already in %1.</source>
        <translation>文本已经是%1。</translation>
    </message>
    <message>
        <source>There is no text to summarize.</source>
        <translation>没有要生成摘要的文本。</translation>
    </message>
    <message>
        <source>Summary of %1</source>
        <translation>%1 的摘要</translation>
    </message>
    <message>
        <source>summarizing</source>
        <translation>正在生成摘要</translation>
    </message>
    <message>
        <source>combining</source>
        <translation>正在合并</translation>
    </message>
    <message>
        <source>combining %1 of %2</source>
        <translation>正在合并第 %1/%2 组</translation>
    </message>
    <message>
        <source>There is no text to classify.</source>
        <translation>没有要分析的文本。</translation>
    </message>
    <message>
        <source>There is nothing to classify: every line is empty.</source>
        <translation>没有可分析的内容：每一行都是空的。</translation>
    </message>
    <message numerus="yes">
        <source>%Ln text(s) from %1, column “%2”</source>
        <translation>
            <numerusform>%1 中的 %Ln 条文本（“%2”列）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln text(s) from %1</source>
        <translation>
            <numerusform>%1 中的 %Ln 条文本</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln text(s)</source>
        <translation>
            <numerusform>%Ln 条文本</numerusform>
        </translation>
    </message>
    <message>
        <source>item %1 of %2</source>
        <translation>第 %1/%2 条</translation>
    </message>
    <message>
        <source>The model&apos;s answer names no label: %1</source>
        <translation>模型的回答中没有任何标签：%1</translation>
    </message>
    <message>
        <source>One sentence</source>
        <translation>一句话</translation>
    </message>
    <message>
        <source>Short paragraph</source>
        <translation>短段落</translation>
    </message>
    <message>
        <source>Bullet points</source>
        <translation>要点列表</translation>
    </message>
    <message>
        <source>Unknown summary length %1: use one of %2.</source>
        <translation>未知的摘要长度 %1，可选：%2。</translation>
    </message>
    <message>
        <source>There is no file at %1.</source>
        <translation>找不到文件 %1。</translation>
    </message>
    <message>
        <source>%1 is a folder; choose a text file inside it.</source>
        <translation>%1 是文件夹，请选择其中的文本文件。</translation>
    </message>
    <message>
        <source>%1 is not a regular file; choose a text file.</source>
        <translation>%1 不是普通文件，请选择文本文件。</translation>
    </message>
    <message>
        <source>You do not have permission to read %1.</source>
        <translation>你没有读取 %1 的权限。</translation>
    </message>
    <message>
        <source>%1 could not be read: %2.</source>
        <translation>无法读取 %1：%2。</translation>
    </message>
    <message>
        <source>%1 is too large: %2, and the limit is %3.</source>
        <translation>%1 太大：%2，上限为 %3。</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>%1 looks like a binary file, not text.</source>
        <translation>%1 看起来是二进制文件，不是文本。</translation>
    </message>
    <message>
        <source>%1 starts like %2 text but is damaged or is not text.</source>
        <translation>%1 开头像是 %2 文本，但内容已损坏或并非文本。</translation>
    </message>
</context>
<context>
    <name>TextLoader</name>
    <message>
        <source>The file is still being opened; try again in a moment.</source>
        <translation>文件仍在打开中，请稍后再试。</translation>
    </message>
</context>
<context>
    <name>TranslatePanel</name>
    <message>
        <source>Text files (%1);;All files (*)</source>
        <translation>文本文件 (%1);;所有文件 (*)</translation>
    </message>
    <message numerus="yes">
        <source>%Ln character(s)</source>
        <translation>
            <numerusform>%Ln 个字符</numerusform>
        </translation>
    </message>
    <message>
        <source>Detect automatically</source>
        <translation>自动检测</translation>
    </message>
    <message>
        <source>Swap the languages (and the texts)</source>
        <translation>互换语言（及文本）</translation>
    </message>
    <message>
        <source>Open file…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <source>Put the text of a .txt or .md file in the input</source>
        <translation>将 .txt 或 .md 文件的文本放入输入框</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>源语言：</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>目标语言：</translation>
    </message>
    <message>
        <source>Text to translate</source>
        <translation>待翻译文本</translation>
    </message>
    <message>
        <source>Type or paste the text to translate, or open a .txt or .md file.
Ctrl+Enter translates.</source>
        <translation>输入或粘贴要翻译的文本，或打开 .txt 或 .md 文件。
按 Ctrl+Enter 开始翻译。</translation>
    </message>
    <message>
        <source>Translation</source>
        <translation>译文</translation>
    </message>
    <message>
        <source>The translation appears here.</source>
        <translation>译文将显示在这里。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the translation to the clipboard</source>
        <translation>将译文复制到剪贴板</translation>
    </message>
    <message>
        <source>Open a text to translate</source>
        <translation>打开要翻译的文本</translation>
    </message>
    <message>
        <source>Opened %1 (%2).</source>
        <translation>已打开 %1（%2）。</translation>
    </message>
    <message>
        <source>There is no text to translate. Type or paste some, or open a file.</source>
        <translation>没有可翻译的文本。请输入或粘贴文本，或打开文件。</translation>
    </message>
    <message>
        <source>Detected: %1</source>
        <translation>检测到：%1</translation>
    </message>
    <message>
        <source>Language not recognised</source>
        <translation>无法识别语言</translation>
    </message>
    <message>
        <source>%1 %2 of %3 parts were translated.</source>
        <translation>%1已翻译 %2/%3 段。</translation>
    </message>
    <message>
        <source>Translation copied to the clipboard.</source>
        <translation>译文已复制到剪贴板。</translation>
    </message>
</context>
<context>
    <name>Turns</name>
    <message numerus="yes">
        <source>Waiting for %n API request(s)…</source>
        <translation>
            <numerusform>正在等待 %n 个 API 请求…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <source>Everything here runs on this computer, offline. The model that came with the app, SmolLM2 135M, is tiny: it answers at once and is fine for trying the app, but it knows few facts, gets many of them wrong, and writes very little Chinese.</source>
        <translation>这里的一切都在这台电脑上离线运行。应用自带的模型 SmolLM2 135M 非常小：回答很快，适合试用应用，但它知道的事实不多，还常常出错，而且几乎写不了中文。</translation>
    </message>
    <message>
        <source>You are offline: downloading a model needs a network. The starter model works now.</source>
        <translation>你当前处于离线状态：下载模型需要联网。入门模型现在就能使用。</translation>
    </message>
    <message>
        <source>None of the recommended models fits in the memory free right now. The starter model works; Models → Manage models… (Ctrl+Shift+M) lists more, with what each needs.</source>
        <translation>当前可用内存放不下任何推荐模型。入门模型可以使用；“模型 → 管理模型…”（Ctrl+Shift+M）中列出了更多模型及各自的需求。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (%2 parameters)</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;（%2 参数）</translation>
    </message>
    <message>
        <source>Languages: %1&lt;br&gt;Download %2 · needs about %3 of memory · licence %4</source>
        <translation>语言：%1&lt;br&gt;下载大小 %2 · 约需 %3 内存 · 许可证 %4</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>%1，来自 %2</translation>
    </message>
    <message>
        <source>Downloading…</source>
        <translation>正在下载…</translation>
    </message>
    <message>
        <source>Its progress is in the status bar and in Models.</source>
        <translation>下载进度显示在状态栏和“模型”窗口中。</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>欢迎</translation>
    </message>
    <message>
        <source>Welcome to Desktop LLM</source>
        <translation>欢迎使用 Desktop LLM</translation>
    </message>
    <message>
        <source>For everyday use, download one of these; each fits this computer:</source>
        <translation>日常使用建议下载以下任一模型，它们都适合这台电脑：</translation>
    </message>
    <message>
        <source>Where is this computer? Its electricity grid sets the carbon of each answer.</source>
        <translation>这台电脑位于哪个国家或地区？当地电网决定每次回答的碳排放。</translation>
    </message>
    <message>
        <source>Filled in from this computer&apos;s language settings: check it, a computer set to US English may well be somewhere else.</source>
        <translation>已根据这台电脑的语言设置自动填写，请核对：设置为美式英语的电脑完全可能在其他地方。</translation>
    </message>
    <message>
        <source>Start with the starter model</source>
        <translation>先用入门模型开始</translation>
    </message>
</context>
<context>
    <name>WhichModel</name>
    <message>
        <source>Which model?</source>
        <translation>选哪个模型？</translation>
    </message>
    <message>
        <source>Sentiment</source>
        <translation>情感分析</translation>
    </message>
    <message>
        <source>Translation</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>Summaries</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Quality (macro-F1)</source>
        <translation>质量（macro-F1）</translation>
    </message>
    <message>
        <source>Quality (chrF / 100)</source>
        <translation>质量（chrF / 100）</translation>
    </message>
    <message>
        <source>Quality (share of key facts kept)</source>
        <translation>质量（保留的关键事实比例）</translation>
    </message>
    <message>
        <source>Energy per text (J)</source>
        <translation>每条文本能耗（J）</translation>
    </message>
    <message>
        <source>Energy per sentence (J)</source>
        <translation>每个句子能耗（J）</translation>
    </message>
    <message>
        <source>Energy per article (J)</source>
        <translation>每篇文章能耗（J）</translation>
    </message>
    <message>
        <source>measured (%1)</source>
        <translation>实测（%1）</translation>
    </message>
    <message>
        <source>estimated from CPU time, not measured</source>
        <translation>按 CPU 时间估算，非实测</translation>
    </message>
    <message>
        <source>Energy: %1 per item, %2</source>
        <translation>能耗：每条 %1，%2</translation>
    </message>
    <message>
        <source>Score: %1</source>
        <translation>得分：%1</translation>
    </message>
    <message>
        <source>Items: %1</source>
        <translation>条目数：%1</translation>
    </message>
    <message>
        <source>On the front: no other model scores as well for less energy</source>
        <translation>位于前沿：没有其他模型能以更低的能耗取得同样的得分</translation>
    </message>
    <message>
        <source>Pareto front</source>
        <translation>帕累托前沿</translation>
    </message>
    <message>
        <source>On the front</source>
        <translation>位于前沿</translation>
    </message>
    <message>
        <source>Other models</source>
        <translation>其他模型</translation>
    </message>
    <message>
        <source>Run evaluation</source>
        <translation>运行评测</translation>
    </message>
    <message>
        <source>Evaluate these models on %1. Each item is metered like a reply; a model already evaluated with the same settings is not run again, and a stopped run goes on where it stopped.</source>
        <translation>对以下模型进行%1评测。每个条目都像回复一样计量能耗；已用相同设置评测过的模型不会重复运行，已停止的评测会从停下的地方继续。</translation>
    </message>
    <message>
        <source>Models to evaluate</source>
        <translation>要评测的模型</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Task:</source>
        <translation>任务：</translation>
    </message>
    <message>
        <source>Run evaluation…</source>
        <translation>运行评测…</translation>
    </message>
    <message>
        <source>Score the installed models on this task&apos;s built-in mini evaluation, metering every item</source>
        <translation>用此任务的内置小型评测为已安装的模型打分，并计量每个条目的能耗</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop after the current item; the next run goes on from there</source>
        <translation>完成当前条目后停止；下次运行将从这里继续</translation>
    </message>
    <message>
        <source>No evaluation of %1 yet.

Run an evaluation: each installed model does this task&apos;s built-in mini evaluation, every item metered like a reply, and its score and joules per item appear here. It takes a few minutes per model. From a terminal:
desktop-llm eval --task %2</source>
        <translation>尚无%1评测。

运行一次评测：每个已安装的模型都会完成此任务的内置小型评测，每个条目都像回复一样计量能耗，得分和每条的焦耳数将显示在这里。每个模型需要几分钟。也可以在终端中运行：
desktop-llm eval --task %2</translation>
    </message>
    <message>
        <source>%1

The stored results have no energy figure to draw.</source>
        <translation>%1

已保存的结果没有可绘制的能耗数据。</translation>
    </message>
    <message>
        <source>Small checks, not benchmarks: %1 items per model, scored on this computer; other texts may rank the models differently.</source>
        <translation>这是小型检查，不是基准测试：每个模型 %1 个条目，在本机上评分；换用其他文本，模型的排名可能不同。</translation>
    </message>
    <message>
        <source>Small checks, not benchmarks: the points cover %1 items of the set&apos;s %2, so compare them with care (a tooltip gives each count).</source>
        <translation>这是小型检查，不是基准测试：这些点覆盖了评测集 %2 个条目中的 %1 个，比较时请谨慎（悬停提示中有各自的条目数）。</translation>
    </message>
    <message>
        <source>Energy estimated from CPU time, not measured: no energy meter could be read (see How is this measured?).</source>
        <translation>能耗按 CPU 时间估算，并非实测：无法读取任何能耗计量器（参见“测量方法”）。</translation>
    </message>
    <message>
        <source>Not drawn (no score or no energy figure): %1.</source>
        <translation>未绘制（没有得分或能耗数据）：%1。</translation>
    </message>
    <message>
        <source>No model is installed: download one first (Models).</source>
        <translation>尚未安装任何模型：请先下载一个（模型）。</translation>
    </message>
    <message>
        <source>An evaluation (%1) is running. Wait for it, or stop it in the energy dashboard (Which model?).</source>
        <translation>正在运行评测（%1）。请等待它完成，或在能耗看板（选哪个模型？）中停止它。</translation>
    </message>
    <message>
        <source>Waits for the evaluation to finish</source>
        <translation>等待评测完成</translation>
    </message>
    <message>
        <source>Starting the evaluation…</source>
        <translation>正在开始评测…</translation>
    </message>
    <message>
        <source>Stopping after this item…</source>
        <translation>完成此条目后停止…</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>%1 was not evaluated: %2</source>
        <translation>未能评测 %1：%2</translation>
    </message>
    <message>
        <source>%1: item %2 of %3</source>
        <translation>%1：第 %2 / %3 条</translation>
    </message>
    <message>
        <source>Stopped. The items done are kept: Run evaluation goes on from there.</source>
        <translation>已停止。已完成的条目会保留：再次运行评测将从这里继续。</translation>
    </message>
</context>
<context>
    <name>Worker</name>
    <message>
        <source>Something went wrong (%1: %2). Details are in the log file.</source>
        <translation>出错了（%1：%2）。详细信息已写入日志文件。</translation>
    </message>
</context>
</TS>
