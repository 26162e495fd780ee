/**
 * The filesystem provider: integrations stored in Beaker's on-disk layout. Node.js only.
 *
 * @module
 */
export {
  createFileSystemProvider,
  FileSystemProvider,
  type FileSystemProviderOptions,
  ReadOnlyFileSystemProvider,
} from './provider.js';
