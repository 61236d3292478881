/** Text as text: no HTML, emphasis, links or table cells made of it. */
export const mdText = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]|#]/g, "\\$&")
    .replace(/\s+/g, " ")
    .trim();
