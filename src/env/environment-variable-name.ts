import type { InvalidNameHandling } from './environment-name.js';

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
type LowerLetter = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k' | 'l' | 'm' | 'n' | 'o' | 'p' | 'q' | 'r' | 's' | 't' | 'u' | 'v' | 'w' | 'x' | 'y' | 'z';
type WordCharacter = LowerLetter | Uppercase<LowerLetter> | Digit | '_';
// Printable ASCII characters that `invalidNames: "replace"` turns into `_`.
type AsciiPunctuation =
  | ' ' | '!' | '"' | '#' | '$' | '%' | '&' | "'" | '(' | ')' | '*' | '+' | ',' | '-' | '.' | '/'
  | ':' | ';' | '<' | '=' | '>' | '?' | '@' | '[' | '\\' | ']' | '^' | '`' | '{' | '|' | '}' | '~';

// True when every character of S is an ASCII letter, digit or `_`.
type IsWordText<S extends string> = S extends `${infer First}${infer Rest}` ? (First extends WordCharacter ? IsWordText<Rest> : false) : true;

// The replacement rule for printable ASCII. Other characters (control characters, and
// non-ASCII ones, which the runtime replaces per code point while the type system reads
// UTF-16 units) give `string`, so the type never claims a name it cannot compute exactly.
type ReplaceInvalid<S extends string, Done extends string = ''> = S extends `${infer First}${infer Rest}`
  ? First extends WordCharacter
    ? ReplaceInvalid<Rest, `${Done}${First}`>
    : First extends AsciiPunctuation
      ? ReplaceInvalid<Rest, `${Done}_`>
      : string
  : Done;

type PrefixDigit<S extends string> = S extends `${Digit}${string}` ? `_${S}` : S;

/**
 * Environment variable name of the secret name `Name` under `Handling`, computed by the type
 * system with the rule of {@link toEnvironmentName}: `"db_password"` gives `"DB_PASSWORD"`,
 * and `"app/db-url"` gives `"APP_DB_URL"` with `"replace"` and `never` with `"reject"`,
 * because that name is rejected. A name that is not a string literal, or one with characters
 * outside printable ASCII, gives `string`.
 *
 * @example
 * ```ts
 * type Variable = EnvironmentVariableName<'app/db-url', 'replace'>; // "APP_DB_URL"
 * const url: Variable = 'APP_DB_URL';
 * ```
 */
export type EnvironmentVariableName<Name extends string, Handling extends InvalidNameHandling = 'reject'> = string extends Name
  ? string
  : Name extends ''
    ? never
    : IsWordText<Name> extends true
      ? Name extends `${Digit}${string}`
        ? Handling extends 'replace'
          ? `_${Uppercase<Name>}`
          : never
        : Uppercase<Name>
      : Handling extends 'replace'
        ? ReplaceInvalid<Name> extends infer Replaced extends string
          ? string extends Replaced
            ? string
            : Uppercase<PrefixDigit<Replaced>>
          : never
        : never;

/**
 * Variables that `loadEnvironment` returns for the secret names `Name`: one `string` property
 * per name, named by {@link EnvironmentVariableName}. When the names are not string literals,
 * a record of strings.
 *
 * @example
 * ```ts
 * type Variables = EnvironmentVariables<'db_password' | 'api_token'>; // { DB_PASSWORD: string; API_TOKEN: string }
 * ```
 */
export type EnvironmentVariables<Name extends string = string, Handling extends InvalidNameHandling = 'reject'> = string extends Name
  ? Record<string, string>
  : { [Key in Name as EnvironmentVariableName<Key, Handling>]: string };
