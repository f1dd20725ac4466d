<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ChatPage</name>
    <message numerus="yes">
        <source>%n chat(s) contain “%1”.</source>
        <translation>
            <numerusform>%n chat contains “%1”.</numerusform>
            <numerusform>%n chats contain “%1”.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n reply(s) were cut short when the app last closed; the text written so far was kept.</source>
        <translation>
            <numerusform>%n reply was cut short when the app last closed; the text written so far was kept.</numerusform>
            <numerusform>%n replies were cut short when the app last closed; the text written so far was kept.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DiscoverView</name>
    <message numerus="yes">
        <source>%Ln download(s)</source>
        <translation>
            <numerusform>%Ln download</numerusform>
            <numerusform>%Ln downloads</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln like(s)</source>
        <translation>
            <numerusform>%Ln like</numerusform>
            <numerusform>%Ln likes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DownloadsView</name>
    <message numerus="yes">
        <source>↓ %n download(s)</source>
        <translation>
            <numerusform>↓ %n download</numerusform>
            <numerusform>↓ %n downloads</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Eco</name>
    <message numerus="yes">
        <source>Eco mode: %n thread(s), %1 J per token, %2 tokens/s</source>
        <translation>
            <numerusform>Eco mode: %n thread, %1 J per token, %2 tokens/s</numerusform>
            <numerusform>Eco mode: %n threads, %1 J per token, %2 tokens/s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Measuring %n thread(s), round %1 of %2</source>
        <translation>
            <numerusform>Measuring %n thread, round %1 of %2</numerusform>
            <numerusform>Measuring %n threads, round %1 of %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Energy</name>
    <message numerus="yes">
        <source>%n reply(ies) not measured: remote</source>
        <translation>
            <numerusform>%n reply not measured: remote</numerusform>
            <numerusform>%n replies not measured: remote</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n remote reply(ies) estimated from your power figures: %1</source>
        <translation>
            <numerusform>%n remote reply estimated from your power figures: %1</numerusform>
            <numerusform>%n remote replies estimated from your power figures: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n model call(s)</source>
        <translation>
            <numerusform>%n model call</numerusform>
            <numerusform>%n model calls</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) not measured: remote</source>
        <translation>
            <numerusform>%n call not measured: remote</numerusform>
            <numerusform>%n calls not measured: remote</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This run: %n model call(s) (parts, batches), %1 and %2 together.</source>
        <translation>
            <numerusform>This run: %n model call (parts, batches), %1 and %2 together.</numerusform>
            <numerusform>This run: %n model calls (parts, batches), %1 and %2 together.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n reply(ies) on a remote engine left out: not measured on this computer.</source>
        <translation>
            <numerusform>%n reply on a remote engine left out: not measured on this computer.</numerusform>
            <numerusform>%n replies on a remote engine left out: not measured on this computer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %n measurement(s) were taken while other programs kept the CPU busy, so none can be compared with a quiet machine&apos;s.</source>
        <translation>
            <numerusform>All %n measurement was taken while other programs kept the CPU busy, so none can be compared with a quiet machine&apos;s.</numerusform>
            <numerusform>All %n measurements were taken while other programs kept the CPU busy, so none can be compared with a quiet machine&apos;s.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n measurement(s) taken while other programs kept the CPU busy left out.</source>
        <translation>
            <numerusform>%n measurement taken while other programs kept the CPU busy left out.</numerusform>
            <numerusform>%n measurements taken while other programs kept the CPU busy left out.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EnergyDashboard</name>
    <message numerus="yes">
        <source>%1: %2 · %3 over %Ln request(s)</source>
        <translation>
            <numerusform>%1: %2 · %3 over %Ln request</numerusform>
            <numerusform>%1: %2 · %3 over %Ln requests</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n model call(s) measured while other programs kept the CPU busy: figures are higher than on a quiet machine.</source>
        <translation>
            <numerusform>%n model call measured while other programs kept the CPU busy: figures are higher than on a quiet machine.</numerusform>
            <numerusform>%n model calls measured while other programs kept the CPU busy: figures are higher than on a quiet machine.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EnginesPage</name>
    <message numerus="yes">
        <source>%n model(s)</source>
        <translation>
            <numerusform>%n model</numerusform>
            <numerusform>%n models</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Evaluation</name>
    <message numerus="yes">
        <source>%1 for %n more point(s)</source>
        <translation>
            <numerusform>%1 for %n more point</numerusform>
            <numerusform>%1 for %n more points</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 for %n fewer point(s)</source>
        <translation>
            <numerusform>%1 for %n fewer point</numerusform>
            <numerusform>%1 for %n fewer points</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Forecast</name>
    <message numerus="yes">
        <source>Forecast here: about %1 per reply and %2 tok/s, scaled by file size from %n model(s) measured on this computer.</source>
        <translation>
            <numerusform>Forecast here: about %1 per reply and %2 tok/s, scaled by file size from %n model measured on this computer.</numerusform>
            <numerusform>Forecast here: about %1 per reply and %2 tok/s, scaled by file size from %n models measured on this computer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Forecast here: about %1 per reply, scaled by file size from %n model(s) measured on this computer.</source>
        <translation>
            <numerusform>Forecast here: about %1 per reply, scaled by file size from %n model measured on this computer.</numerusform>
            <numerusform>Forecast here: about %1 per reply, scaled by file size from %n models measured on this computer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Forecast here: about %1 tok/s, scaled by file size from %n model(s) measured on this computer.</source>
        <translation>
            <numerusform>Forecast here: about %1 tok/s, scaled by file size from %n model measured on this computer.</numerusform>
            <numerusform>Forecast here: about %1 tok/s, scaled by file size from %n models measured on this computer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Per reply: a reply of %n token(s), the median of the chat replies measured here, its prompt included.</source>
        <translation>
            <numerusform>Per reply: a reply of %n token, the median of the chat replies measured here, its prompt included.</numerusform>
            <numerusform>Per reply: a reply of %n tokens, the median of the chat replies measured here, its prompt included.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InstalledView</name>
    <message numerus="yes">
        <source>Measured on this computer over %n reply(ies)</source>
        <translation>
            <numerusform>Measured on this computer over %n reply</numerusform>
            <numerusform>Measured on this computer over %n replies</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The average chat reply on this computer, over %n reply(ies)</source>
        <translation>
            <numerusform>The average chat reply on this computer, over %n reply</numerusform>
            <numerusform>The average chat reply on this computer, over %n replies</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n GGUF metadata key(s)</source>
        <translation>
            <numerusform>%n GGUF metadata key</numerusform>
            <numerusform>%n GGUF metadata keys</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LocalServer</name>
    <message numerus="yes">
        <source>%n request(s) answered</source>
        <translation>
            <numerusform>%n request answered</numerusform>
            <numerusform>%n requests answered</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n running</numerusform>
            <numerusform>%n running</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Recovery</name>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n conversation</numerusform>
            <numerusform>%n conversations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n message</numerusform>
            <numerusform>%n messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SummarizePanel</name>
    <message numerus="yes">
        <source>%Ln character(s)</source>
        <translation>
            <numerusform>%Ln character</numerusform>
            <numerusform>%Ln characters</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln word(s)</source>
        <translation>
            <numerusform>%Ln word</numerusform>
            <numerusform>%Ln words</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln part(s)</source>
        <translation>
            <numerusform>%Ln part</numerusform>
            <numerusform>%Ln parts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln combining round(s)</source>
        <translation>
            <numerusform>%Ln combining round</numerusform>
            <numerusform>%Ln combining rounds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TaskOutcome</name>
    <message numerus="yes">
        <source>Not a summary: it has %Ln word(s), the text %1.</source>
        <translation>
            <numerusform>Not a summary: it has %Ln word, the text %1.</numerusform>
            <numerusform>Not a summary: it has %Ln words, the text %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Unsure about %Ln text(s) of %1: the model gave no label a clear lead.</source>
        <translation>
            <numerusform>Unsure about %Ln text of %1: the model gave no label a clear lead.</numerusform>
            <numerusform>Unsure about %Ln texts of %1: the model gave no label a clear lead.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message numerus="yes">
        <source>%Ln text(s) from %1, column “%2”</source>
        <translation>
            <numerusform>%Ln text from %1, column “%2”</numerusform>
            <numerusform>%Ln texts from %1, column “%2”</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln text(s) from %1</source>
        <translation>
            <numerusform>%Ln text from %1</numerusform>
            <numerusform>%Ln texts from %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln text(s)</source>
        <translation>
            <numerusform>%Ln text</numerusform>
            <numerusform>%Ln texts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TranslatePanel</name>
    <message numerus="yes">
        <source>%Ln character(s)</source>
        <translation>
            <numerusform>%Ln character</numerusform>
            <numerusform>%Ln characters</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Turns</name>
    <message numerus="yes">
        <source>Waiting for %n API request(s)…</source>
        <translation>
            <numerusform>Waiting for %n API request…</numerusform>
            <numerusform>Waiting for %n API requests…</numerusform>
        </translation>
    </message>
</context>
</TS>
