/**
 * A 5×7 bitmap font for the time stamp. Drawn by hand here, not taken from the system: a Pi OS
 * Lite has no fonts to count on, and the compiled binary must stamp images with nothing installed
 * (SVG text in sharp goes through librsvg/pango, which needs fontconfig and a font).
 */
export const glyphWidth = 5;
export const glyphHeight = 7;

const glyphs: Record<string, string[]> = {
  "0": [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."],
  "1": ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
  "2": [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
  "3": ["#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."],
  "4": ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
  "5": ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
  "6": ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."],
  "7": ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
  "8": [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
  "9": [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."],
  "-": [".....", ".....", ".....", ".###.", ".....", ".....", "....."],
  ":": [".....", ".##..", ".##..", ".....", ".##..", ".##..", "....."],
  ".": [".....", ".....", ".....", ".....", ".....", ".##..", ".##.."],
  "/": ["....#", "...#.", "...#.", "..#..", ".#...", ".#...", "#...."],
  " ": [".....", ".....", ".....", ".....", ".....", ".....", "....."],
};

/** Whether the pixel at (x, y) of `ch` is ink; characters without a glyph are blank. */
export function ink(ch: string, x: number, y: number): boolean {
  return glyphs[ch]?.[y]?.[x] === "#";
}

export function hasGlyph(ch: string): boolean {
  return ch in glyphs;
}
