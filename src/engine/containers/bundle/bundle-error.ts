import { ApiError } from '../../api/api-error.js';

// A create request (or the image under it) that cannot become a runnable
// spec. It is an ApiError so the server answers with docker's JSON shape;
// 400 by default because the request, not the engine, is at fault.
export class BundleError extends ApiError {
  constructor(message: string, status = 400) {
    super(status, message);
    this.name = 'BundleError';
  }
}
