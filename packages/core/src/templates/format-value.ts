/** A parameter value: what `{name}` in a template is filled with (a `Date` takes strftime-style specs). */
export type FormatValue = string | number | bigint | boolean | Date;
