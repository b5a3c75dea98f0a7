package dev.imdbstream.trainer.report;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the report's Markdown subset as an HTML page: {@code #}/{@code ##} headings, pipe tables,
 * images, links, inline code, {@code -} lists and paragraphs. Enough for the reports this service writes.
 */
final class MarkdownHtml {

    private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)\\]\\(([^)]+)\\)");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\(([^)]+)\\)");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private MarkdownHtml() {
    }

    static String page(String title, String markdown) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title>\n<style>body{font-family:sans-serif;max-width:1700px;margin:2em auto;"
                        + "padding:0 1em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
                        + "padding:4px 8px;text-align:left}th{background:#f3f3f3}img{max-width:100%;margin:4px}"
                        + "code{background:#f3f3f3;padding:1px 3px}</style></head><body>\n");
        boolean inTable = false;
        boolean header = false;
        boolean inList = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("|")) {
                if (line.matches("\\|(-+\\|)+")) {
                    continue;
                }
                if (!inTable) {
                    b.append("<table>\n");
                    inTable = true;
                    header = true;
                }
                String cell = header ? "th" : "td";
                b.append("<tr>");
                String[] cells = line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0)).split("\\|", -1);
                for (String c : cells) {
                    b.append('<').append(cell).append('>').append(inline(c.trim())).append("</").append(cell).append('>');
                }
                b.append("</tr>\n");
                header = false;
                continue;
            }
            if (inTable) {
                b.append("</table>\n");
                inTable = false;
            }
            if (line.startsWith("- ")) {
                if (!inList) {
                    b.append("<ul>\n");
                    inList = true;
                }
                b.append("<li>").append(inline(line.substring(2))).append("</li>\n");
                continue;
            }
            if (inList) {
                b.append("</ul>\n");
                inList = false;
            }
            if (line.startsWith("## ")) {
                b.append("<h2>").append(inline(line.substring(3))).append("</h2>\n");
            } else if (line.startsWith("# ")) {
                b.append("<h1>").append(inline(line.substring(2))).append("</h1>\n");
            } else if (!line.isBlank()) {
                b.append("<p>").append(inline(line)).append("</p>\n");
            }
        }
        if (inTable) {
            b.append("</table>\n");
        }
        if (inList) {
            b.append("</ul>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    private static String inline(String text) {
        String s = escape(text);
        s = replace(IMAGE, s, m -> "<img alt=\"" + m.group(1) + "\" src=\"" + m.group(2) + "\">");
        s = replace(LINK, s, m -> "<a href=\"" + m.group(2) + "\">" + m.group(1) + "</a>");
        return replace(CODE, s, m -> "<code>" + m.group(1) + "</code>");
    }

    private static String replace(Pattern p, String s, java.util.function.Function<Matcher, String> f) {
        Matcher m = p.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(f.apply(m)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
