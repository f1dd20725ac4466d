from __future__ import annotations

import pytest

from desktop_llm.core.errors import UserError
from desktop_llm.core.tasks.languages import (
    CHINESE_PAIRS,
    LANGUAGES,
    Language,
    detect_language,
    get_language,
)

REQUIRED = {"en", "zh-Hans", "zh-Hant", "ja", "ko", "fr", "de", "es", "ru", "pt", "ar"}


def test_the_table_has_every_required_language_once() -> None:
    codes = [language.code for language in LANGUAGES]
    assert set(codes) >= REQUIRED
    assert len(codes) == len(set(codes))
    for language in LANGUAGES:
        assert language.english_name and language.native_name
        assert language.english_name in language.prompt_name
    assert get_language("ar").rtl
    assert [language.code for language in LANGUAGES if language.rtl] == ["ar"]
    assert get_language("zh-Hans").prompt_name == "Simplified Chinese (简体中文)"
    assert get_language("zh-Hant").native_name == "繁體中文"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("english", "en"),
        ("zh", "zh-Hans"),
        ("chinese", "zh-Hans"),
        ("zh_CN", "zh-Hans"),
        ("zh-hans", "zh-Hans"),
        ("简体中文", "zh-Hans"),
        ("zh-tw", "zh-Hant"),
        ("ZH-HK", "zh-Hant"),
        ("zh-Hant-TW", "zh-Hant"),
        ("Traditional Chinese", "zh-Hant"),
        ("繁體中文", "zh-Hant"),
        ("日本語", "ja"),
        ("japanese", "ja"),
        ("한국어", "ko"),
        ("français", "fr"),
        ("FRANÇAIS", "fr"),
        ("fr-BE", "fr"),
        ("Deutsch", "de"),
        ("español", "es"),
        ("русский", "ru"),
        ("Português", "pt"),
        ("pt-BR", "pt"),
        ("العربية", "ar"),
        ("  Arabic  ", "ar"),
    ],
)
def test_get_language_by_code_or_name(name: str, code: str) -> None:
    assert get_language(name).code == code


@pytest.mark.parametrize("name", ["klingon", "", "xx-yy", "zhongwen"])
def test_unknown_language_lists_the_valid_codes(name: str) -> None:
    with pytest.raises(UserError) as caught:
        get_language(name)
    message = str(caught.value)
    assert "Unknown language" in message
    assert all(code in message for code in REQUIRED)


def test_chinese_pairs_differ_and_never_overlap() -> None:
    simplified = {s for s, _ in CHINESE_PAIRS}
    traditional = {t for _, t in CHINESE_PAIRS}
    assert len(CHINESE_PAIRS) >= 100
    assert all(s != t for s, t in CHINESE_PAIRS)
    assert not simplified & traditional
    for pair in [("这", "這"), ("说", "說"), ("个", "個"), ("们", "們"), ("国", "國")]:
        assert pair in CHINESE_PAIRS


SAMPLES = {
    "en": [
        "The weather is nice today and we are going to the park.",
        "I think that this is the best book I have ever read.",
        "Please send the report to your manager before Friday.",
        "It was raining when they left the house, so they took an umbrella.",
    ],
    "fr": [
        "Je pense que c'est le meilleur livre que j'ai jamais lu.",
        "Il fait très beau aujourd'hui, nous allons au parc.",
        "Le chat dort sur la chaise près de la fenêtre.",
        "Nous avons mangé une crème brûlée à côté de l'hôtel.",
    ],
    "de": [
        "Ich glaube, dass das Wetter heute sehr schön ist.",
        "Wir gehen am Wochenende mit den Kindern in den Park.",
        "Die Straße ist nass, weil es die ganze Nacht geregnet hat.",
        "Können Sie mir bitte sagen, wo der Bahnhof ist?",
    ],
    "es": [
        "Hoy hace muy buen tiempo y vamos al parque con los niños.",
        "Creo que este es el mejor libro que he leído en mi vida.",
        "El niño está jugando en el jardín de su abuela.",
        "¿Dónde está la estación de tren más cercana?",
    ],
    "pt": [
        "Hoje o tempo está muito bom e vamos ao parque com as crianças.",
        "Eu acho que este é o melhor livro que já li na minha vida.",
        "Não sei se ele vai chegar a tempo para a reunião.",
        "A informação foi enviada para todos os alunos da escola.",
    ],
    "ru": [
        "Сегодня хорошая погода, и мы идём в парк.",
        "Я думаю, что это лучшая книга, которую я читал.",
        "Пожалуйста, отправьте отчёт до пятницы.",
    ],
    "ar": [
        "الطقس جميل اليوم ونحن ذاهبون إلى الحديقة.",
        "أعتقد أن هذا أفضل كتاب قرأته في حياتي.",
        "من فضلك أرسل التقرير قبل يوم الجمعة.",
    ],
    "ko": [
        "오늘 날씨가 정말 좋아서 공원에 갑니다.",
        "이 책은 제가 읽은 책 중에서 가장 좋아요.",
        "금요일까지 보고서를 보내 주세요.",
    ],
    "ja": [
        "今日はとても天気がいいので、公園に行きます。",
        "この本は私が今まで読んだ中で一番面白いです。",
        "東京都渋谷区で会議があります。",
        "カメラを買いました。",
    ],
    "zh-Hans": [
        "今天天气很好，我们去公园散步吧。",
        "我觉得这是我读过的最好的一本书。",
        "他说明天会来这里开会。",
        "请在星期五之前把报告发给你的经理。",
    ],
    "zh-Hant": [
        "今天天氣很好，我們去公園散步吧。",
        "我覺得這是我讀過的最好的一本書。",
        "他說明天會來這裡開會。",
        "請在星期五之前把報告發給你的經理。",
    ],
}


@pytest.mark.parametrize(
    ("code", "text"), [(code, text) for code, texts in SAMPLES.items() for text in texts]
)
def test_detects_real_sentences(code: str, text: str) -> None:
    detected = detect_language(text)
    assert detected is not None
    assert detected.code == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "12345 678.90 -3",
        "😀😂👍🎉🇫🇷",
        "ok",
        "Hello",
        "!!! ??? ...",
        "I love 北京 烤鸭 very much",  # half English, half Chinese
        "Ciao, come stai? Io sto molto bene, e tu? Questa è la mia casa.",  # Italian
        "Dit is een zin in het Nederlands en niet in het Engels.",  # Dutch
        "Привіт, як справи? Це українська мова, і вона гарна.",  # Ukrainian
        "این یک جمله فارسی است و من آن را دوست دارم.",  # Persian
        "שלום, מה שלומך היום?",  # Hebrew
        "Γεια σου, τι κάνεις σήμερα;",  # Greek
    ],
)
def test_unsure_or_unsupported_text_gives_none(text: str) -> None:
    assert detect_language(text) is None


def test_mixed_text_follows_the_main_language() -> None:
    english = "We trained the model with PyTorch on two GPUs and it worked well. 谢谢"
    chinese = "我们使用Python和PyTorch来训练这个模型，效果非常好。"
    assert _code(detect_language(english)) == "en"
    assert _code(detect_language(chinese)) == "zh-Hans"


def test_chinese_without_telling_characters_counts_as_simplified() -> None:
    assert _code(detect_language("你好，天空很美。")) == "zh-Hans"
    assert _code(detect_language("你好，天空很美。這")) == "zh-Hant"


def test_a_long_text_is_decided_on_its_start_quickly() -> None:
    text = "Le chat dort sur la chaise près de la fenêtre. " * 20_000
    assert _code(detect_language(text)) == "fr"


def _code(language: Language | None) -> str | None:
    return language.code if language else None
