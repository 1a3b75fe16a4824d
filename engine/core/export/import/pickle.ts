/**
 * A restricted unpickler for PyTorch `state_dict` files: it reads the pickle opcodes, builds only
 * plain values (dicts, lists, tuples, numbers, strings) and tensor references, and refuses every
 * global outside a short list of PyTorch's tensor rebuilders and storage types. Nothing is ever
 * called or executed: a "call" of an allowed global is interpreted here, and any other global
 * stops the read with its name and byte offset. (A pickle can otherwise run arbitrary code.)
 */

export type PyValue = null | boolean | number | string | PyValue[] | PyTuple | PyDict | PyGlobal | StorageRef | TensorRef;

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

export class PyDict {
  readonly entries = new Map<string | number, PyValue>();
}

/** An allowed global, as the pickle names it (`torch._utils._rebuild_tensor_v2`). */
export class PyGlobal {
  constructor(readonly name: string) {}
}

/** A storage in the archive (`data/<key>`), by its element type. */
export class StorageRef {
  constructor(readonly dtype: StorageDtype, readonly key: string, readonly numel: number) {}
}

export class TensorRef {
  constructor(readonly storage: StorageRef, readonly offset: number, readonly shape: readonly number[], readonly stride: readonly number[]) {}
}

export type StorageDtype = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

const STORAGES: Readonly<Record<string, StorageDtype>> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};

const REBUILDERS = new Set(['torch._utils._rebuild_tensor_v2', 'torch._utils._rebuild_parameter', 'collections.OrderedDict']);

export class PickleError extends Error {
  constructor(readonly file: string, readonly offset: number, message: string) {
    super(`${file}: ${message} (pickle byte ${offset})`);
    this.name = 'PickleError';
  }
}

function allowedGlobal(module: string, name: string): PyGlobal | undefined {
  const full = `${module}.${name}`;
  if (REBUILDERS.has(full)) return new PyGlobal(full);
  if (module === 'torch' && Object.hasOwn(STORAGES, name)) return new PyGlobal(full);
  return undefined;
}

/**
 * UTF-8 bytes to a string without TextDecoder (a web API core does not type-check against):
 * escape() turns each byte into %XX and decodeURIComponent decodes the sequence, throwing a URIError
 * on malformed UTF-8 as TextDecoder's fatal mode does. Pickle strings and zip names are short.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return decodeURIComponent(escape(binary));
}

const MARK = Symbol('mark');
type Slot = PyValue | typeof MARK;

/** Reads `bytes` (a data.pkl); `file` names the file in every error. */
export function unpickle(file: string, bytes: Uint8Array): PyValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: Slot[] = [];
  const memo = new Map<number, PyValue>();
  let at = 0;
  let op = 0;
  const fail = (message: string): never => {
    throw new PickleError(file, op, message);
  };
  const need = (n: number) => {
    if (at + n > bytes.length) fail('the pickle ends early: the file is truncated');
  };
  const u8 = () => (need(1), bytes[at++]!);
  const u16 = () => (need(2), (at += 2), view.getUint16(at - 2, true));
  const u32 = () => (need(4), (at += 4), view.getUint32(at - 4, true));
  const i32 = () => (need(4), (at += 4), view.getInt32(at - 4, true));
  const str = (n: number) => {
    need(n);
    at += n;
    try {
      return decodeUtf8(bytes.subarray(at - n, at));
    } catch {
      return fail('a string is not valid UTF-8');
    }
  };
  const line = () => {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) fail('the pickle ends early: the file is truncated');
    const s = str(end - at);
    at++;
    return s;
  };
  const pop = (): PyValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) return fail('the pickle pops an empty stack');
    return v;
  };
  const popMark = (): PyValue[] => {
    const k = stack.lastIndexOf(MARK);
    if (k < 0) fail('the pickle has no mark to pop to');
    const items = stack.splice(k) as PyValue[];
    items.shift();
    return items;
  };
  const top = (): PyValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) return fail('the pickle reads an empty stack');
    return v;
  };
  const key = (k: PyValue): string | number => (typeof k === 'string' || typeof k === 'number' ? k : fail(`a dict key is a ${describe(k)}, not a string or number`));
  const setItems = (d: PyValue, items: PyValue[]) => {
    if (!(d instanceof PyDict)) return fail(`SETITEM(S) on a ${describe(d)}`);
    for (let i = 0; i + 1 < items.length; i += 2) d.entries.set(key(items[i]!), items[i + 1]!);
  };
  const long = (n: number): number => {
    need(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]!);
    if (n > 0 && bytes[at + n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
    at += n;
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) fail('an integer is too large');
    return Number(v);
  };

  for (;;) {
    op = at;
    const code = u8();
    switch (code) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME
        need(8);
        at += 8;
        break;
      case 0x2e: // STOP
        return pop();
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(long(u8()));
        break;
      case 0x47: // BINFLOAT (big-endian)
        need(8);
        stack.push(view.getFloat64(at, false));
        at += 8;
        break;
      case 0x58: // BINUNICODE
        stack.push(str(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(str(u8()));
        break;
      case 0x54: // BINSTRING
        stack.push(str(i32()));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(str(u8()));
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new PyDict());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(new PyTuple([]));
        break;
      case 0x74: // TUPLE
        stack.push(new PyTuple(popMark()));
        break;
      case 0x85: // TUPLE1
        stack.push(new PyTuple([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push(new PyTuple([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(new PyTuple([pop(), b, c]));
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const k = code === 0x68 ? u8() : u32();
        if (!memo.has(k)) fail(`memo ${k} was never stored`);
        stack.push(memo.get(k)!);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        const l = top();
        if (!Array.isArray(l)) fail(`APPEND to a ${describe(l)}`);
        (l as PyValue[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const l = top();
        if (!Array.isArray(l)) fail(`APPENDS to a ${describe(l)}`);
        (l as PyValue[]).push(...items);
        break;
      }
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        const name = line();
        stack.push(allowedGlobal(module, name) ?? fail(`refuses the global "${module}.${name}": a state_dict holds only tensors and plain containers, and this pickle asks for something else (never executed)`));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL without two strings');
        stack.push(allowedGlobal(module as string, name as string) ?? fail(`refuses the global "${String(module)}.${String(name)}": a state_dict holds only tensors and plain containers, and this pickle asks for something else (never executed)`));
        break;
      }
      case 0x51: {
        // BINPERSID: ('storage', storage_type, key, location, numel)
        const pid = pop();
        stack.push(persistent(pid, fail));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        stack.push(reduce(fn, args, fail));
        break;
      }
      case 0x62: {
        // BUILD: the state of a reduced object; a state_dict's `_metadata` (module versions) is read and dropped
        const state = pop();
        const obj = top();
        if (!(obj instanceof PyDict) && !(obj instanceof TensorRef)) fail(`BUILD on a ${describe(obj)}`);
        void state;
        break;
      }
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      default:
        return fail(`refuses pickle opcode 0x${code.toString(16).padStart(2, '0')} ('${String.fromCharCode(code)}'): not one a state_dict needs`);
    }
  }
}

function persistent(pid: PyValue, fail: (m: string) => never): StorageRef {
  if (!(pid instanceof PyTuple) || pid.items[0] !== 'storage' || pid.items.length < 5) return fail('a persistent id is not a PyTorch storage');
  const [, type, key, , numel] = pid.items;
  if (!(type instanceof PyGlobal)) return fail('a storage without its type');
  const dtype = STORAGES[type.name.replace(/^torch\./, '')];
  if (!dtype || typeof key !== 'string' || typeof numel !== 'number') return fail(`an unknown storage ${type.name}`);
  return new StorageRef(dtype, key, numel);
}

function reduce(fn: PyValue, args: PyValue, fail: (m: string) => never): PyValue {
  if (!(fn instanceof PyGlobal)) return fail(`calls a ${describe(fn)}`);
  if (!(args instanceof PyTuple)) return fail(`${fn.name} without an argument tuple`);
  const a = args.items;
  switch (fn.name) {
    case 'collections.OrderedDict':
      if (a.length !== 0) fail('OrderedDict with arguments');
      return new PyDict();
    case 'torch._utils._rebuild_tensor_v2': {
      const [storage, offset, size, stride] = a;
      const ints = (v: PyValue | undefined) => (v instanceof PyTuple && v.items.every((x) => typeof x === 'number') ? (v.items as number[]) : fail('a tensor with a malformed size or stride'));
      if (!(storage instanceof StorageRef) || typeof offset !== 'number') return fail('a tensor without its storage');
      return new TensorRef(storage, offset, ints(size), ints(stride));
    }
    case 'torch._utils._rebuild_parameter': {
      const [data] = a;
      return data instanceof TensorRef ? data : fail('a parameter that is not a tensor');
    }
    default:
      return fail(`calls ${fn.name}`);
  }
}

function describe(v: PyValue | undefined): string {
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return v.constructor.name;
  return typeof v;
}
