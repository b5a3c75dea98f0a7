package dev.imdbstream.trainer.report;

import java.util.List;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/** The report's Markdown as a standalone HTML page: CommonMark with GitHub's pipe tables. */
final class MarkdownHtml {

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    // Run errors and ids are text, never markup: raw HTML in the Markdown is escaped.
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true).build();

    private MarkdownHtml() {
    }

    static String page(String title, String markdown) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title>\n<style>body{font-family:sans-serif;max-width:1700px;margin:2em auto;"
                + "padding:0 1em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
                + "padding:4px 8px;text-align:left}th{background:#f3f3f3}img{max-width:100%;margin:4px}"
                + "code{background:#f3f3f3;padding:1px 3px}</style></head><body>\n"
                + RENDERER.render(PARSER.parse(markdown)) + "</body></html>\n";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
