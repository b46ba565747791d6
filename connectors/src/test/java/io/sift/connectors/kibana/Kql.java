package io.sift.connectors.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Translates the subset of KQL (Kibana Query Language) that Sift's saved objects use into Elasticsearch query DSL,
 * the way Kibana does, and collects every field the query names. No Kibana runs in the tests, so this is what lets
 * them execute the saved objects' queries against Elasticsearch.
 *
 * <p>Supported: {@code field : value}, {@code field : "phrase"}, {@code field : *} (exists), {@code field : pre*}
 * (wildcard), {@code field : (a or b)}, {@code field < > <= >= value}, {@code and}, {@code or}, {@code not},
 * parentheses, and nested queries {@code path : { sub.field : value and ... }}. Anything else (free text without
 * a field, for example) is rejected, so a saved object cannot hide a query the test does not understand.
 */
final class Kql {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The query DSL and the fields the KQL names, with nested paths as full field names. */
    static final class Translation {
        final ObjectNode query;
        final Set<String> fields;

        Translation(ObjectNode query, Set<String> fields) {
            this.query = query;
            this.fields = fields;
        }
    }

    private enum Kind { LPAREN, RPAREN, LBRACE, RBRACE, COLON, LT, LTE, GT, GTE, AND, OR, NOT, WORD, END }

    private static final class Token {
        final Kind kind;
        final String text;
        final boolean quoted;
        final int position;

        Token(Kind kind, String text, boolean quoted, int position) {
            this.kind = kind;
            this.text = text;
            this.quoted = quoted;
            this.position = position;
        }
    }

    private final String source;
    private final List<Token> tokens;
    private final Set<String> fields = new LinkedHashSet<>();
    private int next;

    private Kql(String source) {
        this.source = source;
        this.tokens = tokenize(source);
    }

    /** Translates {@code kql}; an empty query matches all documents. */
    static Translation translate(String kql) {
        if (kql == null || kql.isBlank()) {
            ObjectNode matchAll = NODES.objectNode();
            matchAll.putObject("match_all");
            return new Translation(matchAll, Set.of());
        }
        Kql parser = new Kql(kql);
        ObjectNode query = parser.parseOr("");
        parser.expect(Kind.END);
        return new Translation(query, parser.fields);
    }

    private ObjectNode parseOr(String prefix) {
        List<ObjectNode> clauses = new ArrayList<>(List.of(parseAnd(prefix)));
        while (peek().kind == Kind.OR) {
            next++;
            clauses.add(parseAnd(prefix));
        }
        return clauses.size() == 1 ? clauses.get(0) : should(clauses);
    }

    private ObjectNode parseAnd(String prefix) {
        List<ObjectNode> clauses = new ArrayList<>(List.of(parseNot(prefix)));
        while (peek().kind == Kind.AND) {
            next++;
            clauses.add(parseNot(prefix));
        }
        if (clauses.size() == 1) {
            return clauses.get(0);
        }
        ObjectNode bool = NODES.objectNode();
        ArrayNode filter = bool.putObject("bool").putArray("filter");
        clauses.forEach(filter::add);
        return bool;
    }

    private ObjectNode parseNot(String prefix) {
        if (peek().kind == Kind.NOT) {
            next++;
            ObjectNode bool = NODES.objectNode();
            bool.putObject("bool").putArray("must_not").add(parseNot(prefix));
            return bool;
        }
        return parsePrimary(prefix);
    }

    private ObjectNode parsePrimary(String prefix) {
        if (peek().kind == Kind.LPAREN) {
            next++;
            ObjectNode inner = parseOr(prefix);
            expect(Kind.RPAREN);
            return inner;
        }
        Token fieldToken = expect(Kind.WORD);
        if (fieldToken.quoted) {
            throw error(fieldToken, "a field name, not a quoted string (free-text queries are not supported)");
        }
        String field = prefix + fieldToken.text;
        Token operator = tokens.get(next++);
        switch (operator.kind) {
            case COLON:
                return parseValue(field);
            case LT:
            case LTE:
            case GT:
            case GTE:
                return range(field, operator.kind, expect(Kind.WORD));
            default:
                throw error(operator, "':' or a comparison after field " + field + " (free-text queries are not supported)");
        }
    }

    private ObjectNode parseValue(String field) {
        Token token = peek();
        if (token.kind == Kind.LBRACE) {
            next++;
            fields.add(field);
            ObjectNode inner = parseOr(field + ".");
            expect(Kind.RBRACE);
            ObjectNode nested = NODES.objectNode();
            ObjectNode body = nested.putObject("nested");
            body.put("path", field);
            body.set("query", inner);
            body.put("score_mode", "none");
            return nested;
        }
        if (token.kind == Kind.LPAREN) {
            next++;
            List<ObjectNode> values = new ArrayList<>(List.of(value(field, expect(Kind.WORD))));
            while (peek().kind == Kind.OR) {
                next++;
                values.add(value(field, expect(Kind.WORD)));
            }
            expect(Kind.RPAREN);
            return values.size() == 1 ? values.get(0) : should(values);
        }
        return value(field, expect(Kind.WORD));
    }

    /** One value for one field, as Kibana translates it: exists, wildcard, phrase or match. */
    private ObjectNode value(String field, Token value) {
        fields.add(field);
        ObjectNode query = NODES.objectNode();
        if (!value.quoted && value.text.equals("*")) {
            query.putObject("exists").put("field", field);
        } else if (!value.quoted && value.text.contains("*")) {
            ObjectNode queryString = query.putObject("query_string");
            queryString.putArray("fields").add(field);
            queryString.put("query", value.text);
        } else if (value.quoted) {
            query.putObject("match_phrase").put(field, value.text);
        } else {
            query.putObject("match").put(field, value.text);
        }
        return query;
    }

    private ObjectNode range(String field, Kind operator, Token value) {
        fields.add(field);
        ObjectNode query = NODES.objectNode();
        ObjectNode bounds = query.putObject("range").putObject(field);
        String key = operator == Kind.LT ? "lt" : operator == Kind.LTE ? "lte" : operator == Kind.GT ? "gt" : "gte";
        if (value.text.matches("-?\\d+")) {
            bounds.put(key, Long.parseLong(value.text));
        } else if (value.text.matches("-?\\d*\\.\\d+")) {
            bounds.put(key, Double.parseDouble(value.text));
        } else {
            bounds.put(key, value.text);
        }
        return query;
    }

    private static ObjectNode should(List<ObjectNode> clauses) {
        ObjectNode bool = NODES.objectNode();
        ObjectNode body = bool.putObject("bool");
        ArrayNode should = body.putArray("should");
        clauses.forEach(should::add);
        body.put("minimum_should_match", 1);
        return bool;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token expect(Kind kind) {
        Token token = tokens.get(next);
        if (token.kind != kind) {
            throw error(token, kind.name().toLowerCase(Locale.ROOT));
        }
        next++;
        return token;
    }

    private IllegalArgumentException error(Token at, String expected) {
        return new IllegalArgumentException("KQL '" + source + "': expected " + expected + " at position "
                + at.position + (at.kind == Kind.END ? " (end)" : ", found '" + at.text + "'"));
    }

    private static List<Token> tokenize(String source) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == '{' || c == '}' || c == ':') {
                Kind kind = c == '(' ? Kind.LPAREN : c == ')' ? Kind.RPAREN : c == '{' ? Kind.LBRACE
                        : c == '}' ? Kind.RBRACE : Kind.COLON;
                out.add(new Token(kind, String.valueOf(c), false, i));
                i++;
            } else if (c == '<' || c == '>') {
                boolean orEqual = i + 1 < source.length() && source.charAt(i + 1) == '=';
                Kind kind = c == '<' ? (orEqual ? Kind.LTE : Kind.LT) : (orEqual ? Kind.GTE : Kind.GT);
                out.add(new Token(kind, source.substring(i, i + (orEqual ? 2 : 1)), false, i));
                i += orEqual ? 2 : 1;
            } else if (c == '"') {
                StringBuilder text = new StringBuilder();
                int start = i++;
                while (i < source.length() && source.charAt(i) != '"') {
                    if (source.charAt(i) == '\\' && i + 1 < source.length()) {
                        i++;
                    }
                    text.append(source.charAt(i++));
                }
                if (i >= source.length()) {
                    throw new IllegalArgumentException("KQL '" + source + "': unterminated string at " + start);
                }
                i++;
                out.add(new Token(Kind.WORD, text.toString(), true, start));
            } else {
                int start = i;
                while (i < source.length() && !Character.isWhitespace(source.charAt(i))
                        && "(){}:<>\"".indexOf(source.charAt(i)) < 0) {
                    i++;
                }
                String word = source.substring(start, i);
                Kind kind = switch (word.toLowerCase(Locale.ROOT)) {
                    case "and" -> Kind.AND;
                    case "or" -> Kind.OR;
                    case "not" -> Kind.NOT;
                    default -> Kind.WORD;
                };
                out.add(new Token(kind, word, false, start));
            }
        }
        out.add(new Token(Kind.END, "", false, source.length()));
        return out;
    }
}
