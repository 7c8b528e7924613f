"""Short transcripts in several languages and scripts, shared by the text package's tests."""

ZH_SIMPLIFIED = (
    "欢迎收听本期播客，今天我们邀请到了清华大学的李教授，聊一聊人工智能对教育的影响。\n"
    "我觉得这件事情非常重要，因为它关系到每个人的生活。我们应该怎么做呢？\n"
    "他说：“我用iPhone 15拍的视频，效果还不错。”\n"
)
ZH_TRADITIONAL = (
    "歡迎收聽本期播客，今天我們邀請到了臺灣大學的陳教授，聊一聊人工智慧對教育的影響。\n"
    "我覺得這件事情非常重要，因為它關係到每個人的生活。我們應該怎麼做呢？\n"
    "他說：「我用iPhone 15拍的影片，效果還不錯。」\n"
)
JAPANESE = "日本語のテキストです。ちょっと待ってください。\n東京は大きい都市です。\n"
KOREAN = "안녕하세요, 여러분! 오늘은 학교에서 공부했어요.\n한국어 텍스트입니다.\n"
FRENCH = "Ça a été très déjà vu, « à bientôt » ! Où est l'hôpital ?\nLe cœur a ses raisons.\n"
RUSSIAN = "Привет, мир! Это тестовый текст на русском языке.\nВторая строка.\n"
