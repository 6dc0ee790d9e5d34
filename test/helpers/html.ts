import { parse, type DefaultTreeAdapterTypes } from 'parse5';

export type Element = DefaultTreeAdapterTypes.Element;
type Node = DefaultTreeAdapterTypes.Node;

/** Every element of the page as a browser's parser builds it; a loop, so deep pages cannot overflow. */
export function elementsOf(html: string): Element[] {
  const found: Element[] = [];
  const stack: Node[] = [parse(html)];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if ('tagName' in node) found.push(node);
    if ('childNodes' in node) stack.push(...[...node.childNodes].reverse());
  }
  return found;
}

export const attr = (element: Element, name: string): string | undefined => element.attrs.find((a) => a.name === name)?.value;

export const textOf = (node: Node): string => ('value' in node && node.nodeName === '#text' ? String(node.value) : 'childNodes' in node ? node.childNodes.map(textOf).join('') : '');

export const byId = (html: string, id: string): Element | undefined => elementsOf(html).find((e) => attr(e, 'id') === id);

/** The element's text with its white space folded, or null when the page has no such id. */
export const textById = (html: string, id: string): string | null => {
  const element = byId(html, id);
  return element ? textOf(element).replace(/\s+/g, ' ').trim() : null;
};
