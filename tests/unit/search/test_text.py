from search.text import pinyin_forms, query_terms, searchable_text


def test_chinese_words_are_stored_with_full_pinyin_and_initials():
    assert pinyin_forms("湘西猕猴桃") == ["xiangximihoutao", "xxmht"]


def test_searchable_text_keeps_the_characters_and_lowers_latin_letters():
    text = searchable_text("湘西 猕猴桃 ABC", "合群村")
    assert "湘西 猕猴桃 abc" in text
    assert "mihoutao" in text
    assert "hequncun" in text


def test_query_words_are_split_on_spaces_and_chinese_punctuation():
    assert query_terms("  猕猴桃，湘西 MHT ") == ["猕猴桃", "湘西", "mht"]
    assert query_terms("") == []
