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


def test_index_tokens_hold_every_suffix_so_any_inner_word_is_a_prefix():
    from search.text import index_tokens, query_prefixes

    tokens = index_tokens("湘西猕猴桃 2号").split()
    for word in ("猕猴桃", "猕猴", "西猕", "mihoutao", "houtao", "mht", "xxmht", "2"):
        prefixes = query_prefixes(word)
        assert all(any(token.startswith(prefix) for token in tokens) for prefix in prefixes), word
    assert query_prefixes("1号白茶") == ["1", "号白茶"]
