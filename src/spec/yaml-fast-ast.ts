// The fast reader's syntax tree: just what the tree builder needs to give
// the same result as the `yaml` package's node tree (where each node starts,
// its anchor and merge tag, a scalar's text and style).

import type { MergeTag } from './tree.js';

export enum Kind {
  Scalar,
  Seq,
  Map,
  Alias,
}

export interface Props {
  anchor?: string;
  tag?: MergeTag;
}

interface Located {
  /** 1-based, as the yaml package's LineCounter reports. */
  line: number;
  col: number;
}

export interface ScalarAst extends Located, Props {
  kind: Kind.Scalar;
  /** The scalar's string value (quotes, escapes and block indentation resolved). */
  source: string;
  /** Plain scalars are resolved by the core schema; quoted and block ones are strings. */
  style: 'plain' | 'quoted' | 'block';
}

export interface SeqAst extends Located, Props {
  kind: Kind.Seq;
  items: Ast[];
}

export interface KeyAst extends Located {
  text: string;
  plain: boolean;
}

export interface MapAst extends Located, Props {
  kind: Kind.Map;
  keys: KeyAst[];
  values: Ast[];
}

export interface AliasAst extends Located {
  kind: Kind.Alias;
  name: string;
  anchor?: undefined;
  tag?: undefined;
}

export type Ast = ScalarAst | SeqAst | MapAst | AliasAst;
