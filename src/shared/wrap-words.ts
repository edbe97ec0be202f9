/**
 * Wraps text at spaces to fit `width` columns; a word longer than a line stays whole on its own line
 * (a broken word or path is worse than an overlong line). Line breaks already in the text are kept.
 */
export function wrapWords(text: string, width: number, indent = ''): string {
  return text
    .split('\n')
    .map((paragraph) => {
      const lines: string[] = [];
      const lead = /^ */.exec(paragraph)![0];
      const words = paragraph.slice(lead.length).split(/ +/).filter((word) => word !== '');
      let line = lead + (words.shift() ?? '');
      for (const word of words) {
        if (line.length + 1 + word.length > width) {
          lines.push(line);
          line = indent + word;
        } else line = `${line} ${word}`;
      }
      return [...lines, line].join('\n');
    })
    .join('\n');
}
