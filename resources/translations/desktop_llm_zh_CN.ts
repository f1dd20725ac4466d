<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Settings</name>
    <message>
        <source>From the system&apos;s locale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU threads used for generation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens the model can see at once: the conversation, the prompt and the reply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layers offloaded to the GPU (0 = CPU only; only offered when the build supports it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Randomness of sampling; 0 is deterministic.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nucleus sampling: keep the most likely tokens whose probabilities add up to this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top P</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest reply, in tokens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instructions given to the model at the start of every new chat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model used for new chats (empty: the first installed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model for translations (empty: the chat model).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instructions given to the model for every translation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Randomness of translations; low is faithful.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model for summaries (empty: the chat model).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instructions given to the model for every summary.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Randomness of summaries.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest summary (and longest partial summary), in tokens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens each part of a long text shares with the part before it, so no sentence loses its context.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chunk overlap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model for sentiment (empty: the chat model).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instructions given to the model before the examples and the text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language of the window. The system&apos;s follows its locale (LANG=zh_CN.UTF-8 gives Chinese). A change applies the next time the app starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light or dark window. The system&apos;s follows the desktop, also when it changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the welcome page (what the starter model can do, models that fit this computer) when the app starts with no conversation yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show welcome page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address of a Hugging Face Hub mirror for search and downloads, such as https://hf-mirror.com. Empty: the official Hub. The HF_ENDPOINT environment variable overrides it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub mirror</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send your Hugging Face token to the mirror too. Off: the token goes only to the official Hub, and a mirror sees anonymous requests.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send token to mirror</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Country whose electricity grid powers this computer, as a two-letter code (FR, CN, US…), for the carbon of each reply. Empty: from the system&apos;s locale, else the world average. Never looked up on the network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid country</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your own grid carbon intensity in g CO2e per kWh (for example from your electricity supplier); 0 uses the country&apos;s figure.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carbon intensity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active power of one CPU core in watts, used only when energy cannot be measured and is estimated from CPU time; 0 derives it from the CPU&apos;s rated power.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU watts per core</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
