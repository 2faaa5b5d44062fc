// Oscar's dashboard ships TinyMCE without its language packs, so on a Chinese page the description editor's toolbar,
// its link dialog and the editing area's title read in English. These are the strings of the toolbar Oscar configures
// (styles, bold, italic, blockquote, lists, link), of the link dialog and of the style names Oscar gives.
(function () {
    if (!window.tinymce || !/^zh/i.test(document.documentElement.lang)) {
        return;
    }
    tinymce.addI18n("zh_CN", {
        "Rich Text Area": "富文本编辑区",
        "Rich Text Area. Press ALT-0 for help.": "富文本编辑区，按 ALT-0 查看帮助。",
        "Press {0} for help": "按 {0} 查看帮助",
        "Text": "正文",
        "Paragraph": "段落",
        "Heading 2": "二级标题",
        "Heading 3": "三级标题",
        "Heading 4": "四级标题",
        "Heading 5": "五级标题",
        "Heading 6": "六级标题",
        "Format {0}": "格式：{0}",
        "Formats": "格式",
        "Styles": "样式",
        "Bold": "粗体",
        "Italic": "斜体",
        "Blockquote": "引用",
        "Bullet list": "项目符号列表",
        "Numbered list": "编号列表",
        "Link": "链接",
        "Link...": "链接…",
        "Insert/edit link": "插入或编辑链接",
        "Insert/Edit Link": "插入或编辑链接",
        "Remove link": "删除链接",
        "Open link": "打开链接",
        "URL": "网址",
        "Url": "网址",
        "Text to display": "显示的文字",
        "Title": "标题",
        "Open link in...": "链接打开方式",
        "Current window": "当前窗口",
        "New window": "新窗口",
        "None": "无",
        "Save": "保存",
        "Cancel": "取消",
        "Close": "关闭",
        "More...": "更多…",
        "Reveal or hide additional toolbar items": "显示或隐藏更多工具",
        "The URL you entered seems to be an email address. Do you want to add the required mailto: prefix?":
            "您输入的网址像是电子邮件地址，要加上 mailto: 前缀吗？",
        "The URL you entered seems to be an external link. Do you want to add the required http:// prefix?":
            "您输入的网址像是外部链接，要加上 http:// 前缀吗？",
        "The URL you entered seems to be an external link. Do you want to add the required https:// prefix?":
            "您输入的网址像是外部链接，要加上 https:// 前缀吗？"
    });
    // Every editor on the page starts in Chinese; the strings are registered above, so no language file is fetched.
    tinymce.overrideDefaults({language: "zh_CN"});
})();
